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
 * outgrow Neo4j's transaction memory. Relationships go first, 10,000 at a time, because a hub
 * (the interaction a million items were extracted from, a topic of ten thousand) would take all
 * of its relationships into one DETACH DELETE; then the nodes, bare.
 */
export async function deleteTenantNodes(client: GraphClient, tenants: readonly string[]): Promise<void> {
  const slices = async (cypher: string) => {
    for (;;) {
      const deleted = await client.write(async (tx) => Number((await tx.run(cypher, { tenants: [...tenants] })).records[0]?.get("deleted") ?? 0));
      if (deleted === 0) return;
    }
  };
  await slices("MATCH (n)-[r]-() WHERE n.tenant_id IN $tenants WITH DISTINCT r LIMIT 10000 DELETE r RETURN count(*) AS deleted");
  await slices("MATCH (n) WHERE n.tenant_id IN $tenants WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted");
}
