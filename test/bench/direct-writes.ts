import type { GraphClient } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import { PROJECTION_TABLES_IN_DELETE_ORDER } from "../support/pipelines";
import { chunks } from "./chunks";

/*
 * The processing benchmark's reference: the nodes, relationships and rows the pipelines wrote
 * for a tenant, written again under another tenant with batched statements (UNWIND of a
 * thousand nodes, multi-row INSERTs), as a bulk loader that needed no reading, matching or
 * versioning would write them. `snapshot` reads them (not timed); `write` is what is timed.
 */

const GRAPH_BATCH = 1000;
const ROW_BATCH = 500;

interface GraphSnapshot {
  nodes: Array<{ id: string; labels: string[]; properties: Record<string, unknown>; embedding: number[] | null; embeddingCurrent: number[] | null }>;
  relationships: Array<{ from: string; to: string; type: string; properties: Record<string, unknown> }>;
}

export interface TenantSnapshot {
  graphs: GraphSnapshot[];
  tables: Array<{
    table: (typeof PROJECTION_TABLES_IN_DELETE_ORDER)[number];
    jsonColumns: Set<string>;
    insertable: Set<string>;
    rows: Array<Record<string, unknown>>;
  }>;
}

async function snapshotGraph(graph: GraphClient, tenantId: string): Promise<GraphSnapshot> {
  return graph.read(async (tx) => {
    const nodes = await tx.run(
      `MATCH (n {tenant_id: $tenantId})
       RETURN elementId(n) AS id, labels(n) AS labels, n {.*, embedding: null, embedding_current: null} AS properties,
              n.embedding AS embedding, n.embedding_current AS embeddingCurrent`,
      { tenantId },
    );
    const relationships = await tx.run(
      "MATCH (a {tenant_id: $tenantId})-[r]->(b {tenant_id: $tenantId}) RETURN elementId(a) AS from, elementId(b) AS to, type(r) AS type, properties(r) AS properties",
      { tenantId },
    );
    return {
      nodes: nodes.records.map((r) => r.toObject() as GraphSnapshot["nodes"][number]),
      relationships: relationships.records.map((r) => r.toObject() as GraphSnapshot["relationships"][number]),
    };
  });
}

export async function snapshotTenant(graphs: readonly GraphClient[], db: Kysely<Database>, tenantId: string): Promise<TenantSnapshot> {
  const jsonb = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'jsonb'`.execute(db);
  const insertable = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.column_privileges
    WHERE table_schema = current_schema() AND grantee = current_user AND privilege_type = 'INSERT'`.execute(db);
  const tables: TenantSnapshot["tables"] = [];
  // Parents first, the reverse of the delete order.
  for (const table of [...PROJECTION_TABLES_IN_DELETE_ORDER].reverse()) {
    const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom(table).selectAll().execute());
    const jsonColumns = new Set(jsonb.rows.filter((c) => c.table_name === table).map((c) => c.column_name));
    const mayInsert = new Set(insertable.rows.filter((c) => c.table_name === table).map((c) => c.column_name));
    tables.push({ table, jsonColumns, insertable: mayInsert, rows: rows as Array<Record<string, unknown>> });
  }
  return { graphs: await Promise.all(graphs.map((g) => snapshotGraph(g, tenantId))), tables };
}

/** Writes a snapshot under `tenantId`. */
export async function writeSnapshot(graphs: readonly GraphClient[], db: Kysely<Database>, snapshot: TenantSnapshot, tenantId: string): Promise<void> {
  await Promise.all(snapshot.graphs.map((s, i) => writeGraph(graphs[i] as GraphClient, s, tenantId)));
  for (const { table, jsonColumns, insertable, rows } of snapshot.tables) {
    // Only the columns this system writes: the application role may not name the CRM's.
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => row[key] !== null && insertable.has(key))))];
    for (const chunk of chunks(rows, ROW_BATCH)) {
      const values = chunk.map((row) =>
        Object.fromEntries(
          columns.map((c) => [c, c === "tenant_id" ? tenantId : jsonColumns.has(c) && row[c] !== null ? JSON.stringify(row[c]) : (row[c] ?? null)]),
        ),
      );
      await withTenant(db, tenantId, (trx) =>
        trx
          .insertInto(table)
          .values(values as never)
          .execute(),
      );
    }
  }
}

async function writeGraph(graph: GraphClient, snapshot: GraphSnapshot, tenantId: string): Promise<void> {
  const created = new Map<string, string>();
  // The new tenant before SET: a key constraint is checked as each property is set.
  const nodes = snapshot.nodes.map((node) => ({ ...node, properties: { ...node.properties, tenant_id: tenantId } }));
  for (const chunk of chunks(nodes, GRAPH_BATCH)) {
    const ids = await graph.write(async (tx) => {
      const result = await tx.run(
        `UNWIND $nodes AS x
         CREATE (n:$(x.labels))
         SET n = x.properties
         WITH n, x
         CALL (n, x) {
           WITH n, x WHERE x.embedding IS NOT NULL
           CALL db.create.setNodeVectorProperty(n, 'embedding', x.embedding)
           CALL db.create.setNodeVectorProperty(n, 'embedding_current', coalesce(x.embeddingCurrent, x.embedding))
         }
         RETURN x.id AS old, elementId(n) AS new`,
        { nodes: chunk },
      );
      return result.records.map((r) => [String(r.get("old")), String(r.get("new"))] as const);
    });
    for (const [old, fresh] of ids) created.set(old, fresh);
  }
  const relationships = snapshot.relationships.map((r) => ({ ...r, from: created.get(r.from), to: created.get(r.to) }));
  for (const chunk of chunks(relationships, GRAPH_BATCH)) {
    await graph.write((tx) =>
      tx.run(
        `UNWIND $relationships AS r
         MATCH (a) WHERE elementId(a) = r.from
         MATCH (b) WHERE elementId(b) = r.to
         CREATE (a)-[rel:$(r.type)]->(b)
         SET rel = r.properties`,
        { relationships: chunk },
      ),
    );
  }
}
