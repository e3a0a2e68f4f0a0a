import type { GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import type { GraphName } from "./projection-kinds";

/**
 * Every tenant with data in either graph or in the projection: a tenant whose rows are all
 * extra (its graph data gone) is reconciled too. Postgres answers through a SECURITY DEFINER
 * function, the application role's only cross-tenant read of the projection.
 */
export async function knownTenants(graphs: Record<GraphName, GraphClient>, db: Kysely<Database>): Promise<string[]> {
  const fromGraph = async (graph: GraphClient) =>
    graph.read(async (tx) => {
      const result = await tx.run("MATCH (i:Interaction) RETURN DISTINCT i.tenant_id AS tenant");
      return result.records.map((record) => String(record.get("tenant")));
    });
  const fromPostgres = await sql<{ tenant: string }>`SELECT dealgraph_projection_tenants()::text AS tenant`.execute(db);
  return [...new Set([...(await fromGraph(graphs.ai)), ...(await fromGraph(graphs.deals)), ...fromPostgres.rows.map((r) => r.tenant)])].sort();
}
