import { upsertInteractionRow, upsertLinkRows } from "@dealgraph/pipeline-kit";
import { embeddingStorageOf, encodeEmbedding, upsertRows, withTenant, type Database, type EmbeddingStorage } from "@dealgraph/store";
import type { Kysely } from "kysely";
import type { StoredNode } from "../graph/action-item-graph-repository";
import { actionItemRow, actionItemVersionRow, linkRows, ownerRow, topicRow, topicVersionRow } from "./item-rows";

/** What one projection wrote (rows upserted, by table). */
export interface ItemProjectionCounts {
  owners: number;
  topics: number;
  topic_versions: number;
  action_items: number;
  action_item_versions: number;
  interaction_links: number;
  interactions: number;
}

export interface ItemProjectionInput {
  tenantId: string;
  /** The envelope's interaction as the graph holds it, or null to project entities only. */
  interaction: Record<string, unknown> | null;
  items: readonly StoredNode[];
  topics: readonly StoredNode[];
}

/*
 * Writes the action-item side of the Postgres projection in one tenant-scoped transaction:
 * owners, topics and their versions, items and their versions, provenance links and the
 * interaction's counts. Upserts take the graph's values; an item or topic row is updated only
 * when its stored version is not ahead of the incoming one, so an older snapshot never
 * overwrites a newer one. The foreign keys from items to owners and topics are deferred, so the
 * order within the transaction does not matter.
 */
export class ItemProjectionRepository {
  private readonly storage: () => Promise<EmbeddingStorage>;

  constructor(private readonly db: Kysely<Database>) {
    this.storage = embeddingStorageOf(db as Kysely<unknown>);
  }

  async project(input: ItemProjectionInput): Promise<ItemProjectionCounts> {
    const storage = await this.storage();
    const owners = [...new Map(input.items.flatMap((n) => n.owners).map((o) => [String(o.owner_id), ownerRow(o)])).values()];
    const topics = input.topics.map(topicRow);
    const topicVersions = input.topics.flatMap((n) => n.versions.map(topicVersionRow));
    const items = input.items.map(actionItemRow);
    const itemVersions = input.items.flatMap((n) => n.versions.map(actionItemVersionRow));
    const links = [...input.items.flatMap((n) => linkRows(n, "action_item")), ...input.topics.flatMap((n) => linkRows(n, "topic"))];
    const embedded = <Row extends object>(r: { row: Row; embedding: number[] | null; embeddingCurrent: number[] | null }) => ({
      ...r.row,
      embedding: encodeEmbedding(storage, r.embedding),
      embedding_current: encodeEmbedding(storage, r.embeddingCurrent),
    });

    return withTenant(this.db, input.tenantId, async (trx) => ({
      interactions: input.interaction ? await upsertInteractionRow(trx, input.interaction, "action_items") : 0,
      owners: await upsertRows(trx, "owners", owners, { key: ["tenant_id", "owner_id"] }),
      topics: await upsertRows(trx, "topics", topics.map(embedded), { key: ["tenant_id", "topic_id"], newerOnly: "version" }),
      topic_versions: await upsertRows(trx, "topic_versions", topicVersions, { key: ["tenant_id", "version_id"] }),
      action_items: await upsertRows(trx, "action_items", items.map(embedded), { key: ["tenant_id", "action_item_id"], newerOnly: "version" }),
      action_item_versions: await upsertRows(trx, "action_item_versions", itemVersions, { key: ["tenant_id", "version_id"] }),
      interaction_links: await upsertLinkRows(trx, links),
    }));
  }
}
