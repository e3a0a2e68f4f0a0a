import type { GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { graphIds, postgresIds } from "./id-pages";
import { PROJECTION_KINDS, type GraphName, type ProjectionKind } from "./projection-kinds";
import { diffSortedIds } from "./sorted-id-diff";

export interface KindComparison {
  kind: string;
  graph: number;
  postgres: number;
  /** In the graph, not in Postgres (first ids, then the full count). */
  missing: string[];
  missingCount: number;
  /** In Postgres with no entity in the graph. */
  extra: string[];
  extraCount: number;
}

export interface TenantComparison {
  tenantId: string;
  kinds: KindComparison[];
  /** Missing plus extra over every kind: zero when the projection mirrors the graphs. */
  drift: number;
  ms: number;
}

/** Compares one tenant's graphs and projection kind by kind, by id sets (not just counts). */
export async function compareTenant(
  deps: { graphs: Record<GraphName, GraphClient>; db: Kysely<Database> },
  tenantId: string,
  kinds: readonly ProjectionKind[] = PROJECTION_KINDS,
): Promise<TenantComparison> {
  const started = performance.now();
  const compared: KindComparison[] = [];
  for (const kind of kinds) {
    const diff = await diffSortedIds(graphIds(deps.graphs[kind.graph], kind, tenantId), postgresIds(deps.db, kind, tenantId));
    compared.push({
      kind: kind.kind,
      graph: diff.left,
      postgres: diff.right,
      missing: diff.onlyLeft,
      missingCount: diff.onlyLeftCount,
      extra: diff.onlyRight,
      extraCount: diff.onlyRightCount,
    });
  }
  return {
    tenantId,
    kinds: compared,
    drift: compared.reduce((sum, k) => sum + k.missingCount + k.extraCount, 0),
    ms: Math.round(performance.now() - started),
  };
}
