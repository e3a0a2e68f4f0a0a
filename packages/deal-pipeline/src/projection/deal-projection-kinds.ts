import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import { affectedRows, interactionKind, versionKind, versionOrphanCheck, type OrphanCheck, type ProjectionKind } from "@dealgraph/pipeline-kit";
import { DealGraphRepository } from "../graph/deal-graph-repository";
import { DealProjectionRepository } from "./deal-projection-repository";
import { dealVersionRow, opportunityRow } from "./deal-rows";

const node = (properties: Record<string, unknown>) => ({ properties, embedding: null, embeddingCurrent: null, versions: [], links: [], owners: [] });
const meddicText = Object.fromEntries(MEDDIC_FIELDS.map((field) => [`meddic_${field}`, "text" as const]));
const dimensions = Object.fromEntries(ONTOLOGY_DIMENSIONS.map((dim) => [`dim_${dim}`, "int" as const]));
const deals = new DealGraphRepository();

/** What the deal pipeline projects, deals before their versions (DESIGN §10). */
export const DEAL_PROJECTION_KINDS: readonly ProjectionKind[] = [
  {
    kind: "deals",
    graph: "deals",
    label: "Deal",
    idProperty: "opportunity_id",
    table: "opportunities",
    idColumn: "graph_opportunity_id",
    revisionColumn: "graph_revision",
    columns: {
      deal_ref: "text",
      extraction_version: "int",
      qualification_status: "text",
      meddic_completeness: "real",
      ontology_completeness: "real",
      source_interaction_id: "text",
      ...meddicText,
      ...dimensions,
    },
    rowOf: (p) => opportunityRow(node(p)).write as Record<string, unknown>,
    backfill: true,
    async reproject({ graph, db }, tenantId, ids) {
      const read = await graph.read((tx) => deals.readForProjection(tx, tenantId, [...ids]));
      if (read.length > 0) await new DealProjectionRepository(db).project({ tenantId, interaction: null, deals: read });
      return read.length;
    },
    // The CRM shares opportunities: an extra one is detached (it keeps its CRM data and stops claiming a graph deal), never deleted.
    async removeExtras(trx, ids) {
      await trx
        .deleteFrom("deal_versions")
        .where("opportunity_id", "in", [...ids])
        .execute();
      return affectedRows(
        await trx
          .updateTable("opportunities")
          .set({ graph_opportunity_id: null, deal_ref: null })
          .where("graph_opportunity_id", "in", [...ids])
          .executeTakeFirst(),
      );
    },
  },
  versionKind({
    kind: "deal_versions",
    graph: "deals",
    label: "DealVersion",
    table: "deal_versions",
    columns: { opportunity_id: "text", version_number: "int", change_source_interaction_id: "text", ...meddicText },
    rowOf: (p) => dealVersionRow(p) as Record<string, unknown>,
    parent: { kind: "deals", idProperty: "opportunity_id" },
  }),
  interactionKind("deal_interactions", "deals", "deals"),
];

export const DEAL_ORPHAN_CHECKS: readonly OrphanCheck[] = [versionOrphanCheck("deal_versions_without_parent", "deals", "DealVersion")];
