import { REVISION_PROPERTY, plainProperties, propertiesFromPairs, propertyPairsWithoutVectors, type GraphClient } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import neo4j from "neo4j-driver";
import { contentHash } from "./content-hash";
import type { ProjectionKind } from "@dealgraph/pipeline-kit";
import type { Entry } from "./sorted-diff";

/** Entities per round trip: few round trips, and memory flat whatever the tenant's size. */
export const PAGE_SIZE = 2000;

/** Only the entities of these buckets (ids ending in one of `buckets`, each `width` characters); all when absent. */
export interface EntryFilter {
  width: number;
  buckets: readonly string[];
}

/** The hash of a node the projection cannot turn into a row: it never matches, so the node is reported. */
const unreadable = (error: unknown) => `unreadable: ${error instanceof Error ? error.message : String(error)}`;

const revisionOf = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * A kind's entities in the graph, ascending by id, one keyset page at a time, each hashed from
 * the row the projection would write for it.
 */
export async function* graphEntries(
  graph: GraphClient,
  kind: ProjectionKind,
  tenantId: string,
  options: { pageSize?: number; filter?: EntryFilter } = {},
): AsyncGenerator<Entry> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  // Label and property names are constants of the kind's pipeline; the values are parameters.
  const cypher = `MATCH (n:${kind.label})
     WHERE n.tenant_id = $tenantId AND n.${kind.idProperty} > $after${kind.graphWhere ? ` AND ${kind.graphWhere}` : ""}
       ${options.filter ? `AND right(n.${kind.idProperty}, $width) IN $buckets` : ""}
     WITH n ORDER BY n.${kind.idProperty} LIMIT $limit
     RETURN n.${kind.idProperty} AS id, n.${REVISION_PROPERTY} AS revision, ${propertyPairsWithoutVectors("n")} AS properties ORDER BY id`;
  const filter = { width: neo4j.int(options.filter?.width ?? 0), buckets: options.filter?.buckets ?? [] };
  let after = "";
  for (;;) {
    const page = await graph.read(async (tx) => {
      // Hashed as the records stream in rather than from the whole page's records at once: held
      // together while the page was hashed, they outlived young-generation collections and piled
      // up in the old one (peak RSS 280-305 MB for 110,000 entities; 255-260 MB streamed).
      const entries: Entry[] = [];
      for await (const record of tx.run(cypher, { tenantId, after, limit: neo4j.int(pageSize), ...filter })) {
        const id = String(record.get("id"));
        let hash: string;
        try {
          hash = contentHash(id, kind.rowOf(plainProperties(propertiesFromPairs(record.get("properties")))), kind.columns);
        } catch (error) {
          hash = unreadable(error);
        }
        entries.push({ id, hash, revision: revisionOf(record.get("revision")) });
      }
      return entries;
    });
    yield* page;
    if (page.length < pageSize) return;
    after = (page[page.length - 1] as Entry).id;
  }
}

/** A kind's rows in Postgres, in the same (code-point) order as the graph's, each hashed from its columns. */
export async function* postgresEntries(
  db: Kysely<Database>,
  kind: ProjectionKind,
  tenantId: string,
  options: { pageSize?: number; filter?: EntryFilter } = {},
): AsyncGenerator<Entry> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const id = sql.ref(kind.idColumn);
  const columns = sql.join(Object.keys(kind.columns).map((column) => sql.ref(column)));
  const revision = kind.revisionColumn === undefined ? sql`null` : sql.ref(kind.revisionColumn);
  const extra = kind.sqlWhere ? sql`AND ${sql.raw(kind.sqlWhere)}` : sql``;
  const filter = options.filter ? sql`AND right(${id}::text, ${options.filter.width}) = ANY(${[...options.filter.buckets]}::text[])` : sql``;
  let after = "";
  for (;;) {
    const page = await withTenant(db, tenantId, async (trx) => {
      // COLLATE "C" orders by code point, as Neo4j orders strings; a locale collation would not.
      const result = await sql<Record<string, unknown> & { entry_id: string; entry_revision: number | null }>`
        SELECT ${id}::text AS entry_id, ${revision}::float8 AS entry_revision, ${columns} FROM ${sql.table(kind.table)}
        WHERE tenant_id = ${tenantId} AND ${id} IS NOT NULL AND ${id}::text COLLATE "C" > ${after} ${extra} ${filter}
        ORDER BY ${id}::text COLLATE "C" LIMIT ${pageSize}`.execute(trx);
      return result.rows.map((row) => ({ id: row.entry_id, hash: contentHash(row.entry_id, row, kind.columns), revision: row.entry_revision }));
    });
    yield* page;
    if (page.length < pageSize) return;
    after = (page[page.length - 1] as Entry).id;
  }
}
