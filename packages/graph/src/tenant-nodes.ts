import type { GraphClient } from "./graph-client";

/** Every tenant with an Interaction in this graph: the tenants whose data the graph holds. */
export async function graphTenants(client: GraphClient): Promise<string[]> {
  return client.read(async (tx) => {
    const result = await tx.run("MATCH (i:Interaction) RETURN DISTINCT i.tenant_id AS tenant");
    return result.records.map((record) => String(record.get("tenant")));
  });
}

/**
 * Removes every node of the tenants, in slices: one transaction deleting a large tenant would
 * outgrow Neo4j's transaction memory.
 */
export async function deleteTenantNodes(client: GraphClient, tenants: readonly string[]): Promise<void> {
  for (;;) {
    const deleted = await client.write(async (tx) => {
      const result = await tx.run("MATCH (n) WHERE n.tenant_id IN $tenants WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted", {
        tenants: [...tenants],
      });
      return Number(result.records[0]?.get("deleted") ?? 0);
    });
    if (deleted === 0) return;
  }
}
