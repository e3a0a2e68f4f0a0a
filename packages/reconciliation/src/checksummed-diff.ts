import type { GraphClient } from "@dealgraph/graph";
import type { ProjectionKind } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { graphEntries, postgresEntries, type EntryFilter } from "./entry-pages";
import { differingBuckets, graphBucketSums, postgresBucketSums, rowsIn, totalRows, type BucketScope } from "./range-checksums";
import { diffSorted, type SortedDiff } from "./sorted-diff";

/** How a kind was compared, for the report. */
export interface Comparison {
  method: "checksums" | "full";
  /** Bucket sums compared over every level, and those that differed at the last. */
  buckets: number;
  differingBuckets: number;
  /** Rows read from each store to find the differences (the larger side). */
  rowsRead: number;
}

export interface ComparedKind extends SortedDiff {
  comparison: Comparison;
}

export const CHECKSUM_LIMITS = {
  /** Suffix characters of the first level: 65,536 buckets of hex ids, ~15 rows each at a million. */
  firstWidth: 4,
  /** Rows the differing buckets may hold before they are split by one more character. */
  readLimit: 50_000,
  /** Bucket sums a level may return; beyond it (drift everywhere) a full comparison is cheaper. */
  maxBuckets: 200_000,
  maxWidth: 12,
} as const;

/**
 * Compares one kind by checksummed ranges: bucket sums from both stores, then only the buckets
 * that differ are split further (while their rows exceed `readLimit`) and finally read row by
 * row and diffed as a full comparison would. Time grows with the drift, not the tenant's size;
 * memory holds one level's bucket sums and one page of rows. When most of the tenant differs
 * (a first pass over rows from before revisions, a wholesale loss), and for a kind without
 * revisions, it compares in full.
 */
export async function checksummedDiff(
  graph: GraphClient,
  db: Kysely<Database>,
  kind: ProjectionKind,
  tenantId: string,
  options: { keep?: number; limits?: typeof CHECKSUM_LIMITS } = {},
): Promise<ComparedKind> {
  if (kind.revisionColumn === undefined) return fullDiff(graph, db, kind, tenantId, options.keep);
  const limits = options.limits ?? CHECKSUM_LIMITS;
  let scope: BucketScope = { width: limits.firstWidth, within: null };
  let totals: { graph: number; postgres: number } | null = null;
  let buckets = 0;
  for (;;) {
    const [g, p] = await Promise.all([graphBucketSums(graph, kind, tenantId, scope), postgresBucketSums(db, kind, tenantId, scope)]);
    totals ??= { graph: totalRows(g), postgres: totalRows(p) };
    buckets += Math.max(g.size, p.size);
    const differ = differingBuckets(g, p);
    const comparison = { method: "checksums" as const, buckets, differingBuckets: differ.length, rowsRead: 0 };
    if (differ.length === 0) {
      return { ...totals, missing: [], missingCount: 0, extra: [], extraCount: 0, stale: [], staleCount: 0, restamp: [], comparison };
    }
    const rows = rowsIn(differ, g, p);
    if (rows <= limits.readLimit || scope.width >= limits.maxWidth) {
      const diff = await diffInBuckets(graph, db, kind, tenantId, { width: scope.width, buckets: differ }, options.keep);
      return { ...diff, ...totals, comparison: { ...comparison, rowsRead: Math.max(diff.graph, diff.postgres) } };
    }
    if (rows > Math.max(totals.graph, totals.postgres) / 4 || differ.length * 16 > limits.maxBuckets) {
      return fullDiff(graph, db, kind, tenantId, options.keep, buckets);
    }
    scope = { width: scope.width + 1, within: { width: scope.width, buckets: differ } };
  }
}

/** Today's comparison of every row, both sides walked in id order: `--full`, and where drift is everywhere. */
export async function fullDiff(
  graph: GraphClient,
  db: Kysely<Database>,
  kind: ProjectionKind,
  tenantId: string,
  keep?: number,
  buckets = 0,
): Promise<ComparedKind> {
  const diff = await diffSorted(graphEntries(graph, kind, tenantId), postgresEntries(db, kind, tenantId), keep);
  return { ...diff, comparison: { method: "full", buckets, differingBuckets: 0, rowsRead: Math.max(diff.graph, diff.postgres) } };
}

function diffInBuckets(
  graph: GraphClient,
  db: Kysely<Database>,
  kind: ProjectionKind,
  tenantId: string,
  filter: EntryFilter,
  keep?: number,
): Promise<SortedDiff> {
  return diffSorted(graphEntries(graph, kind, tenantId, { filter }), postgresEntries(db, kind, tenantId, { filter }), keep);
}
