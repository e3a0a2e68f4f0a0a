import { graphTenants, type GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import type { GraphName } from "@dealgraph/config";

/**
 * Every tenant with data in either graph or in the projection: a tenant whose rows are all
 * extra (its graph data gone) is reconciled too. Postgres answers through a SECURITY DEFINER
 * function, the application role's only cross-tenant read of the projection.
 */
export async function knownTenants(graphs: Record<GraphName, GraphClient>, db: Kysely<Database>): Promise<string[]> {
  const fromPostgres = await sql<{ tenant: string }>`SELECT dealgraph_projection_tenants()::text AS tenant`.execute(db);
  const fromGraphs = await Promise.all(Object.values(graphs).map((graph) => graphTenants(graph)));
  return [...new Set([...fromGraphs.flat(), ...fromPostgres.rows.map((r) => r.tenant)])].sort();
}
