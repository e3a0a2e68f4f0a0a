import type { Database, RowsUpsert } from "@dealgraph/store";
import { ProjectionWriter, linkUpsert, type ProjectionInput, type VectorColumns } from "@dealgraph/pipeline-kit";
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

export type DealProjectionInput = ProjectionInput<{ deals: readonly StoredDeal[] }>;

/*
 * Writes the deal side of the Postgres projection in one tenant-scoped transaction.
 *
 * `opportunities` is shared with a CRM and a forecast pipeline: the upsert names only the
 * columns this system owns, so the forecast trigger (AFTER UPDATE OF the CRM columns) never
 * fires, and name, account and currency are set on insert only. An older snapshot never
 * overwrites a newer one: the update applies only when the stored `extraction_version` is not
 * ahead of the incoming one.
 */
export class DealProjectionRepository extends ProjectionWriter<{ deals: readonly StoredDeal[] }, ProjectionCounts> {
  constructor(db: Kysely<Database>) {
    super(db, "deals");
  }

  protected projectedIds(input: DealProjectionInput) {
    return { opportunity: input.deals.map((deal) => String(deal.properties.opportunity_id)) };
  }

  protected upserts(input: DealProjectionInput, vectors: VectorColumns): Record<"opportunities" | "deal_versions" | "interaction_links", RowsUpsert> {
    const opportunities = input.deals.map((deal) => ({ ...opportunityRow(deal), vectors: vectors(deal, "extraction_embedding") }));
    const insertOnly = Object.keys(opportunities[0]?.insertOnly ?? {});
    return {
      opportunities: {
        table: "opportunities",
        rows: opportunities.map((o) => ({ ...o.write, ...o.insertOnly, ...o.vectors })),
        rule: { key: ["tenant_id", "graph_opportunity_id"], insertOnly, newerOnly: "extraction_version" },
      },
      deal_versions: {
        table: "deal_versions",
        rows: input.deals.flatMap((deal) => deal.versions.map(dealVersionRow)),
        rule: { key: ["tenant_id", "version_id"] },
      },
      interaction_links: linkUpsert(input.deals.flatMap(dealLinkRows)),
    };
  }
}
