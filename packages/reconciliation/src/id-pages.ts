import type { GraphClient } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import neo4j from "neo4j-driver";
import type { ProjectionKind } from "./projection-kinds";

/** Ids per round trip: large enough to keep round trips few, small enough to keep memory flat. */
export const ID_PAGE_SIZE = 5000;

/** A kind's ids in the graph, ascending, one keyset page at a time. */
export async function* graphIds(graph: GraphClient, kind: ProjectionKind, tenantId: string, pageSize = ID_PAGE_SIZE): AsyncGenerator<string> {
  // Label and property names are constants of PROJECTION_KINDS; the values are parameters.
  const cypher = `MATCH (n:${kind.label})
     WHERE n.tenant_id = $tenantId AND n.${kind.idProperty} > $after${kind.graphWhere ? ` AND ${kind.graphWhere}` : ""}
     RETURN n.${kind.idProperty} AS id ORDER BY id LIMIT $limit`;
  let after = "";
  for (;;) {
    const ids = await graph.read(async (tx) => {
      const result = await tx.run(cypher, { tenantId, after, limit: neo4j.int(pageSize) });
      return result.records.map((record) => String(record.get("id")));
    });
    yield* ids;
    if (ids.length < pageSize) return;
    after = ids[ids.length - 1] as string;
  }
}

/** A kind's ids in Postgres, in the same (code-point) order as the graph's, one keyset page at a time. */
export async function* postgresIds(db: Kysely<Database>, kind: ProjectionKind, tenantId: string, pageSize = ID_PAGE_SIZE): AsyncGenerator<string> {
  const id = sql.ref(kind.idColumn);
  const extra = kind.sqlWhere ? sql`AND ${sql.raw(kind.sqlWhere)}` : sql``;
  let after = "";
  for (;;) {
    const ids = await withTenant(db, tenantId, async (trx) => {
      // COLLATE "C" orders by code point, as Neo4j orders strings; a locale collation would not.
      const result = await sql<{ id: string }>`
        SELECT ${id}::text AS id FROM ${sql.table(kind.table)}
        WHERE tenant_id = ${tenantId} AND ${id} IS NOT NULL AND ${id}::text COLLATE "C" > ${after} ${extra}
        ORDER BY ${id}::text COLLATE "C" LIMIT ${pageSize}`.execute(trx);
      return result.rows.map((row) => row.id);
    });
    yield* ids;
    if (ids.length < pageSize) return;
    after = ids[ids.length - 1] as string;
  }
}

/** Every tenant with data in a graph (the graphs hold no row-level security to scope this by). */
export async function graphTenants(graph: GraphClient): Promise<string[]> {
  return graph.read(async (tx) => {
    const result = await tx.run("MATCH (i:Interaction) RETURN DISTINCT i.tenant_id AS tenant ORDER BY tenant");
    return result.records.map((record) => String(record.get("tenant")));
  });
}
