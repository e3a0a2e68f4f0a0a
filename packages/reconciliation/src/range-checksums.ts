import { REVISION_PROPERTY, type GraphClient } from "@dealgraph/graph";
import type { ProjectionKind } from "@dealgraph/pipeline-kit";
import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import neo4j from "neo4j-driver";

/*
 * Range checksums: a kind's entities fall into buckets by the last `width` characters of their
 * id (the random end of a UUID, so buckets are even whatever the ids' time order), and each store
 * sums, per bucket, how many entities it holds and the two 26-bit halves of their graph
 * revisions. Both sums run inside the store; only the per-bucket figures travel. A revision
 * missing on one side counts as -1 in the graph and -2 in Postgres, so it never balances out.
 */

/** What one store holds in one bucket. */
export interface BucketSum {
  rows: number;
  low: number;
  high: number;
}

export type BucketSums = Map<string, BucketSum>;

/** Which buckets to sum: every one (`within` null) or only those whose `withinWidth`-character suffix is listed. */
export interface BucketScope {
  width: number;
  within: { width: number; buckets: readonly string[] } | null;
}

const HALF = 67108864; // 2^26

/** The buckets whose figures differ, or that only one side has, in code-point order. */
export function differingBuckets(graph: BucketSums, postgres: BucketSums): string[] {
  const differ: string[] = [];
  for (const [bucket, g] of graph) {
    const p = postgres.get(bucket);
    if (!p || p.rows !== g.rows || p.low !== g.low || p.high !== g.high) differ.push(bucket);
  }
  for (const bucket of postgres.keys()) if (!graph.has(bucket)) differ.push(bucket);
  return differ.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The most rows either side holds in `buckets`: what reading them would cost. */
export function rowsIn(buckets: readonly string[], graph: BucketSums, postgres: BucketSums): number {
  return buckets.reduce((sum, bucket) => sum + Math.max(graph.get(bucket)?.rows ?? 0, postgres.get(bucket)?.rows ?? 0), 0);
}

export const totalRows = (sums: BucketSums) => [...sums.values()].reduce((sum, b) => sum + b.rows, 0);

export async function graphBucketSums(graph: GraphClient, kind: ProjectionKind, tenantId: string, scope: BucketScope): Promise<BucketSums> {
  // Label and property names are constants of the kind's pipeline; the values are parameters.
  const cypher = `MATCH (n:${kind.label})
     WHERE n.tenant_id = $tenantId AND n.${kind.idProperty} IS NOT NULL${kind.graphWhere ? ` AND ${kind.graphWhere}` : ""}
     WITH n.${kind.idProperty} AS id, n.${REVISION_PROPERTY} AS r
     ${scope.within ? "WHERE right(id, $withinWidth) IN $within" : ""}
     RETURN right(id, $width) AS bucket, count(*) AS rows,
            sum(coalesce(r % ${HALF}, -1)) AS low, sum(coalesce(r / ${HALF}, -1)) AS high`;
  const params = { tenantId, width: neo4j.int(scope.width), withinWidth: neo4j.int(scope.within?.width ?? 0), within: scope.within?.buckets ?? [] };
  const records = await graph.read(async (tx) => (await tx.run(cypher, params)).records);
  return new Map(records.map((r) => [String(r.get("bucket")), { rows: Number(r.get("rows")), low: Number(r.get("low")), high: Number(r.get("high")) }]));
}

export async function postgresBucketSums(db: Kysely<Database>, kind: ProjectionKind, tenantId: string, scope: BucketScope): Promise<BucketSums> {
  const id = sql`${sql.ref(kind.idColumn)}::text`;
  if (kind.revisionColumn === undefined) throw new Error(`kind ${kind.kind} keeps no graph revision`);
  const revision = sql.ref(kind.revisionColumn);
  const extra = kind.sqlWhere ? sql`AND ${sql.raw(kind.sqlWhere)}` : sql``;
  const within = scope.within ? sql`AND right(${id}, ${scope.within.width}) = ANY(${[...scope.within.buckets]}::text[])` : sql``;
  const rows = await withTenant(db, tenantId, async (trx) => {
    // Sums of bigints are numerics; as float8 they are exact below 2^53 and read back as numbers.
    const result = await sql<{ bucket: string; rows: number; low: number; high: number }>`
      SELECT right(${id}, ${scope.width}) AS bucket, count(*)::int AS rows,
             sum(coalesce(${revision} % ${sql.lit(HALF)}, -2))::float8 AS low, sum(coalesce(${revision} / ${sql.lit(HALF)}, -2))::float8 AS high
      FROM ${sql.table(kind.table)}
      WHERE tenant_id = ${tenantId} AND ${sql.ref(kind.idColumn)} IS NOT NULL ${extra} ${within}
      GROUP BY 1`.execute(trx);
    return result.rows;
  });
  return new Map(rows.map((r) => [r.bucket, { rows: r.rows, low: r.low, high: r.high }]));
}
