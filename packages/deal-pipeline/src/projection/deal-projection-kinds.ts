import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import { readProcessedInteractions } from "@dealgraph/graph";
import { interactionRow, type OrphanCheck, type ProjectionKind } from "@dealgraph/pipeline-kit";
import { DealGraphRepository } from "../graph/deal-graph-repository";
import { DealProjectionRepository } from "./deal-projection-repository";
import { dealVersionRow, opportunityRow } from "./deal-rows";

/** A version without a parent is a graph orphan (reported as such), not a projection gap. */
const WITH_PARENT = "EXISTS { ()-[:HAS_VERSION]->(n) }";
const node = (properties: Record<string, unknown>) => ({ properties, embedding: null, embeddingCurrent: null, versions: [], links: [], owners: [] });
const meddicText = Object.fromEntries(MEDDIC_FIELDS.map((field) => [`meddic_${field}`, "text" as const]));
const dimensions = Object.fromEntries(ONTOLOGY_DIMENSIONS.map((dim) => [`dim_${dim}`, "int" as const]));
const deals = new DealGraphRepository();
const count = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0);

/** What the deal pipeline projects, deals before their versions (DESIGN §10). */
export const DEAL_PROJECTION_KINDS: readonly ProjectionKind[] = [
  {
    kind: "deals",
    graph: "deals",
    label: "Deal",
    idProperty: "opportunity_id",
    table: "opportunities",
    idColumn: "graph_opportunity_id",
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
      await trx.deleteFrom("deal_versions").where("opportunity_id", "in", [...ids]).execute();
      return count(await trx.updateTable("opportunities").set({ graph_opportunity_id: null, deal_ref: null }).where("graph_opportunity_id", "in", [...ids]).executeTakeFirst());
    },
  },
  {
    kind: "deal_versions",
    graph: "deals",
    label: "DealVersion",
    idProperty: "version_id",
    graphWhere: WITH_PARENT,
    table: "deal_versions",
    idColumn: "version_id",
    columns: { opportunity_id: "text", version_number: "int", change_source_interaction_id: "text", ...meddicText },
    rowOf: (p) => dealVersionRow(p) as Record<string, unknown>,
    parent: { kind: "deals", idProperty: "opportunity_id" },
    removeExtras: async (trx, ids) => count(await trx.deleteFrom("deal_versions").where("version_id", "in", [...ids]).executeTakeFirst()),
  },
  {
    kind: "deal_interactions",
    graph: "deals",
    label: "Interaction",
    idProperty: "interaction_id",
    graphWhere: "n.processed_at IS NOT NULL",
    table: "interactions",
    idColumn: "interaction_id",
    sqlWhere: "deals_processed_at IS NOT NULL",
    columns: { deal_count: "int", account_id: "text" },
    rowOf: (p) => interactionRow(p, "deals") as Record<string, unknown>,
    backfill: true,
    async reproject({ graph, db }, tenantId, ids) {
      const interactions = await readProcessedInteractions(graph, tenantId, ids);
      const projection = new DealProjectionRepository(db);
      for (const interaction of interactions) await projection.project({ tenantId, interaction, deals: [] });
      return interactions.length;
    },
    removeExtras: async (trx, ids) =>
      count(await trx.updateTable("interactions").set({ deal_count: null, deals_processed_at: null }).where("interaction_id", "in", [...ids]).executeTakeFirst()),
  },
];

export const DEAL_ORPHAN_CHECKS: readonly OrphanCheck[] = [
  { name: "deal_versions_without_parent", graph: "deals", match: "MATCH (n:DealVersion {tenant_id: $tenantId}) WHERE NOT ()-[:HAS_VERSION]->(n)", idProperty: "version_id" },
];
