import { embeddingStorageOf, encodeEmbedding, upsertRows, withTenant, type Database, type EmbeddingStorage } from "@dealgraph/store";
import { upsertInteractionRow, upsertLinkRows } from "@dealgraph/pipeline-kit";
import type { Kysely } from "kysely";
import type { StoredDeal } from "../graph/deal-graph-repository";
import { dealLinkRows, dealVersionRow, opportunityRow } from "./deal-rows";

/** What one projection wrote (rows upserted, by table). */
export interface ProjectionCounts {
  opportunities: number;
  deal_versions: number;
  interaction_links: number;
  interactions: number;
}

export interface DealProjectionInput {
  tenantId: string;
  /** The envelope's interaction as the graph holds it, or null to project deals only. */
  interaction: Record<string, unknown> | null;
  deals: readonly StoredDeal[];
}

/*
 * Writes the deal side of the Postgres projection in one tenant-scoped transaction.
 *
 * `opportunities` is shared with a CRM and a forecast pipeline: the upsert names only the
 * columns this system owns, so the forecast trigger (AFTER UPDATE OF the CRM columns) never
 * fires, and name, account and currency are set on insert only. An older snapshot never
 * overwrites a newer one: the update applies only when the stored `extraction_version` is not
 * ahead of the incoming one.
 */
export class DealProjectionRepository {
  private readonly storage: () => Promise<EmbeddingStorage>;

  constructor(private readonly db: Kysely<Database>) {
    this.storage = embeddingStorageOf(db as Kysely<unknown>);
  }

  async project(input: DealProjectionInput): Promise<ProjectionCounts> {
    const storage = await this.storage();
    const opportunities = input.deals.map(opportunityRow);
    const versions = input.deals.flatMap((deal) => deal.versions.map(dealVersionRow));
    const links = input.deals.flatMap(dealLinkRows);
    const opportunityRows = opportunities.map((row) => ({
      ...row.write,
      ...row.insertOnly,
      extraction_embedding: encodeEmbedding(storage, row.embedding),
      extraction_embedding_current: encodeEmbedding(storage, row.embeddingCurrent),
    }));
    return withTenant(this.db, input.tenantId, async (trx) => ({
      interactions: input.interaction ? await upsertInteractionRow(trx, input.interaction, "deals") : 0,
      opportunities: await upsertRows(trx, "opportunities", opportunityRows, {
        key: ["tenant_id", "graph_opportunity_id"],
        insertOnly: Object.keys(opportunities[0]?.insertOnly ?? {}),
        newerOnly: "extraction_version",
      }),
      deal_versions: await upsertRows(trx, "deal_versions", versions, { key: ["tenant_id", "version_id"] }),
      interaction_links: await upsertLinkRows(trx, links),
    }));
  }
}
