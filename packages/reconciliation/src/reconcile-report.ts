import type { OrphanReport } from "./graph-orphans";
import type { Comparison } from "./checksummed-diff";
import type { SortedDiff } from "./sorted-diff";

/** What one reconcile run found for one kind of entity, and how it compared. */
export interface KindReport extends Omit<SortedDiff, "restamp"> {
  kind: string;
  comparison: Comparison;
  /** Rows in step whose revision stamp was brought up to date (not drift). */
  restamped: number;
}

export interface TenantReport {
  tenantId: string;
  startedAt: string;
  ms: number;
  repair: boolean;
  /** Every row compared (`--full`) rather than checksummed ranges. */
  full: boolean;
  /** Missing, extra and stale rows over every kind (before any repair): zero when in step. */
  drift: number;
  kinds: KindReport[];
  orphans: OrphanReport[];
  orphanCount: number;
  /** With repair: per kind, rows projected again and rows removed (or detached). */
  repaired: Record<string, { reprojected: number; removed: number }> | null;
  runId: string | null;
}
