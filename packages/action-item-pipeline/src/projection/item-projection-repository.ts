import { upsertInteractionRow, upsertLinkRows } from "@dealgraph/pipeline-kit";
import { embeddingStorageOf, encodeEmbedding, takeIncoming, withTenant, type Database, type EmbeddingStorage } from "@dealgraph/store";
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

const others = (row: object, keys: readonly string[]) => Object.keys(row).filter((column) => !keys.includes(column));

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

    return withTenant(this.db, input.tenantId, async (trx) => {
      const counts: ItemProjectionCounts = {
        owners: 0,
        topics: 0,
        topic_versions: 0,
        action_items: 0,
        action_item_versions: 0,
        interaction_links: 0,
        interactions: 0,
      };
      const written = (result: { numInsertedOrUpdatedRows?: bigint }) => Number(result.numInsertedOrUpdatedRows ?? 0);
      if (input.interaction) counts.interactions = await upsertInteractionRow(trx, input.interaction, "action_items");
      if (owners.length > 0) {
        counts.owners = written(
          await trx
            .insertInto("owners")
            .values(owners)
            .onConflict((oc) => oc.columns(["tenant_id", "owner_id"]).doUpdateSet(takeIncoming(["name", "normalized_name"])))
            .executeTakeFirst(),
        );
      }
      if (topics.length > 0) {
        const rows = topics.map(embedded);
        counts.topics = written(
          await trx
            .insertInto("topics")
            .values(rows)
            .onConflict((oc) =>
              oc
                .columns(["tenant_id", "topic_id"])
                .doUpdateSet(takeIncoming(others(rows[0] ?? {}, ["tenant_id", "topic_id"])))
                .where(({ eb, ref }) => eb("topics.version", "<=", ref("excluded.version"))),
            )
            .executeTakeFirst(),
        );
      }
      if (topicVersions.length > 0) {
        counts.topic_versions = written(
          await trx
            .insertInto("topic_versions")
            .values(topicVersions)
            .onConflict((oc) => oc.columns(["tenant_id", "version_id"]).doUpdateSet(takeIncoming(others(topicVersions[0] ?? {}, ["tenant_id", "version_id"]))))
            .executeTakeFirst(),
        );
      }
      if (items.length > 0) {
        const rows = items.map(embedded);
        counts.action_items = written(
          await trx
            .insertInto("action_items")
            .values(rows)
            .onConflict((oc) =>
              oc
                .columns(["tenant_id", "action_item_id"])
                .doUpdateSet(takeIncoming(others(rows[0] ?? {}, ["tenant_id", "action_item_id"])))
                .where(({ eb, ref }) => eb("action_items.version", "<=", ref("excluded.version"))),
            )
            .executeTakeFirst(),
        );
      }
      if (itemVersions.length > 0) {
        counts.action_item_versions = written(
          await trx
            .insertInto("action_item_versions")
            .values(itemVersions)
            .onConflict((oc) =>
              oc.columns(["tenant_id", "version_id"]).doUpdateSet(takeIncoming(others(itemVersions[0] ?? {}, ["tenant_id", "version_id"]))),
            )
            .executeTakeFirst(),
        );
      }
      counts.interaction_links = await upsertLinkRows(trx, links);
      return counts;
    });
  }
}
