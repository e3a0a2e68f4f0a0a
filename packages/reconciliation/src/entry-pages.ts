import { plainProperties, propertiesFromPairs, propertyPairsWithoutVectors, type GraphClient } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import neo4j from "neo4j-driver";
import { contentHash } from "./content-hash";
import type { ProjectionKind } from "@dealgraph/pipeline-kit";
import type { Entry } from "./sorted-diff";

/** Entities per round trip: few round trips, and memory flat whatever the tenant's size. */
export const PAGE_SIZE = 2000;

/** The hash of a node the projection cannot turn into a row: it never matches, so the node is reported. */
const unreadable = (error: unknown) => `unreadable: ${error instanceof Error ? error.message : String(error)}`;

/**
 * A kind's entities in the graph, ascending by id, one keyset page at a time, each hashed from
 * the row the projection would write for it.
 */
export async function* graphEntries(graph: GraphClient, kind: ProjectionKind, tenantId: string, pageSize = PAGE_SIZE): AsyncGenerator<Entry> {
  // Label and property names are constants of the kind's pipeline; the values are parameters.
  const cypher = `MATCH (n:${kind.label})
     WHERE n.tenant_id = $tenantId AND n.${kind.idProperty} > $after${kind.graphWhere ? ` AND ${kind.graphWhere}` : ""}
     WITH n ORDER BY n.${kind.idProperty} LIMIT $limit
     RETURN n.${kind.idProperty} AS id, ${propertyPairsWithoutVectors("n")} AS properties ORDER BY id`;
  let after = "";
  for (;;) {
    const page = await graph.read(async (tx) => {
      // Hashed as the records stream in rather than from the whole page's records at once: held
      // together while the page was hashed, they outlived young-generation collections and piled
      // up in the old one (peak RSS 280-305 MB for 110,000 entities; 255-260 MB streamed).
      const entries: Entry[] = [];
      for await (const record of tx.run(cypher, { tenantId, after, limit: neo4j.int(pageSize) })) {
        const id = String(record.get("id"));
        let hash: string;
        try {
          hash = contentHash(id, kind.rowOf(plainProperties(propertiesFromPairs(record.get("properties")))), kind.columns);
        } catch (error) {
          hash = unreadable(error);
        }
        entries.push({ id, hash });
      }
      return entries;
    });
    yield* page;
    if (page.length < pageSize) return;
    after = (page[page.length - 1] as Entry).id;
  }
}

/** A kind's rows in Postgres, in the same (code-point) order as the graph's, each hashed from its columns. */
export async function* postgresEntries(db: Kysely<Database>, kind: ProjectionKind, tenantId: string, pageSize = PAGE_SIZE): AsyncGenerator<Entry> {
  const id = sql.ref(kind.idColumn);
  const columns = sql.join(Object.keys(kind.columns).map((column) => sql.ref(column)));
  const extra = kind.sqlWhere ? sql`AND ${sql.raw(kind.sqlWhere)}` : sql``;
  let after = "";
  for (;;) {
    const page = await withTenant(db, tenantId, async (trx) => {
      // COLLATE "C" orders by code point, as Neo4j orders strings; a locale collation would not.
      const result = await sql<Record<string, unknown> & { entry_id: string }>`
        SELECT ${id}::text AS entry_id, ${columns} FROM ${sql.table(kind.table)}
        WHERE tenant_id = ${tenantId} AND ${id} IS NOT NULL AND ${id}::text COLLATE "C" > ${after} ${extra}
        ORDER BY ${id}::text COLLATE "C" LIMIT ${pageSize}`.execute(trx);
      return result.rows.map((row) => ({ id: row.entry_id, hash: contentHash(row.entry_id, row, kind.columns) }));
    });
    yield* page;
    if (page.length < pageSize) return;
    after = (page[page.length - 1] as Entry).id;
  }
}
