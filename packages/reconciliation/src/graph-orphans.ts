import type { GraphClient } from "@dealgraph/graph";
import neo4j from "neo4j-driver";
import type { GraphName } from "./projection-kinds";

/** Graph-side damage the projection cannot mend: reported (ids capped, counts exact), never "repaired". */
export interface OrphanCheck {
  name: string;
  graph: GraphName;
  /** Cypher over `n`, constant text; the tenant is a parameter. */
  match: string;
  idProperty: string;
}

export const ORPHAN_CHECKS: readonly OrphanCheck[] = [
  {
    name: "action_items_unlinked",
    graph: "ai",
    match: "MATCH (n:ActionItem {tenant_id: $tenantId}) WHERE NOT (n)-[:OWNED_BY]->(:Owner) AND NOT (n)-[:BELONGS_TO]->(:Topic) AND NOT (n)-[:EXTRACTED_FROM]->(:Interaction)",
    idProperty: "action_item_id",
  },
  { name: "action_item_versions_without_parent", graph: "ai", match: "MATCH (n:ActionItemVersion {tenant_id: $tenantId}) WHERE NOT ()-[:HAS_VERSION]->(n)", idProperty: "version_id" },
  { name: "topic_versions_without_parent", graph: "ai", match: "MATCH (n:TopicVersion {tenant_id: $tenantId}) WHERE NOT ()-[:HAS_VERSION]->(n)", idProperty: "version_id" },
  { name: "deal_versions_without_parent", graph: "deals", match: "MATCH (n:DealVersion {tenant_id: $tenantId}) WHERE NOT ()-[:HAS_VERSION]->(n)", idProperty: "version_id" },
];

export interface OrphanReport {
  name: string;
  count: number;
  ids: string[];
}

export async function findOrphans(graphs: Record<GraphName, GraphClient>, tenantId: string, keep = 1000): Promise<OrphanReport[]> {
  const reports: OrphanReport[] = [];
  for (const check of ORPHAN_CHECKS) {
    reports.push(
      await graphs[check.graph].read(async (tx) => {
        const result = await tx.run(
          `${check.match}
           WITH n.${check.idProperty} AS id ORDER BY id
           RETURN count(id) AS count, collect(id)[0..$keep] AS ids`,
          { tenantId, keep: neo4j.int(keep) },
        );
        const row = result.records[0];
        return { name: check.name, count: Number(row?.get("count") ?? 0), ids: ((row?.get("ids") as string[] | undefined) ?? []).map(String) };
      }),
    );
  }
  return reports;
}
