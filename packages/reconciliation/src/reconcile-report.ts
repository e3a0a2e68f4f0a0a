import type { OrphanReport } from "./graph-orphans";
import type { SortedDiff } from "./sorted-diff";

/** What one reconcile run found for one kind of entity. */
export interface KindReport extends SortedDiff {
  kind: string;
}

export interface TenantReport {
  tenantId: string;
  startedAt: string;
  ms: number;
  repair: boolean;
  /** Missing, extra and stale rows over every kind (before any repair): zero when in step. */
  drift: number;
  kinds: KindReport[];
  orphans: OrphanReport[];
  orphanCount: number;
  /** With repair: per kind, rows projected again and rows removed (or detached). */
  repaired: Record<string, { reprojected: number; removed: number }> | null;
  runId: string | null;
}
