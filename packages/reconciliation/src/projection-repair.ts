import type { GraphName } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import type { ProjectionKind, ProjectionPorts } from "@dealgraph/pipeline-kit";
import { withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { kindNamed, type ProjectionCatalog } from "./projection-catalog";

/** Entities re-projected per round trip. */
const BATCH = 500;

function batches<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Mends the projection from the graph, the source of truth: missing and stale rows are
 * projected again by their pipeline's own kinds (so the rows are exactly what a live run
 * writes), and rows with no entity behind them are removed (or detached, where the kind says).
 */
export class ProjectionRepair {
  constructor(private readonly deps: { graphs: Record<GraphName, GraphClient>; db: Kysely<Database>; catalog: ProjectionCatalog }) {}

  /** Projects these entities of a kind again from the graph; returns how many were found there. */
  async reproject(kind: ProjectionKind, tenantId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    if (kind.parent) {
      // Versions are written with their parent, from the parent's graph read.
      const parents = await this.parentsOf(kind, tenantId, ids);
      await this.reproject(kindNamed(this.deps.catalog, kind.parent.kind), tenantId, parents);
      return ids.length;
    }
    const reproject = kind.reproject;
    if (!reproject) throw new Error(`${kind.kind} is re-projected through its parent`);
    const ports: ProjectionPorts = {
      graph: this.deps.graphs[kind.graph],
      db: this.deps.db,
      reprojectKind: (name, tenant, more) => this.reproject(kindNamed(this.deps.catalog, name), tenant, more),
    };
    let found = 0;
    for (const batch of batches(ids)) found += await reproject.call(kind, ports, tenantId, batch);
    return found;
  }

  private async parentsOf(kind: ProjectionKind, tenantId: string, ids: readonly string[]): Promise<string[]> {
    const parent = kind.parent as NonNullable<ProjectionKind["parent"]>;
    return this.deps.graphs[kind.graph].read(async (tx) => {
      // Label and property names are constants of the kind's pipeline.
      const result = await tx.run(
        `MATCH (n:${kind.label} {tenant_id: $tenantId}) WHERE n.${kind.idProperty} IN $ids RETURN DISTINCT n.${parent.idProperty} AS id`,
        { tenantId, ids: [...ids] },
      );
      return result.records.map((r) => String(r.get("id")));
    });
  }

  /** Removes (or detaches) rows whose entity the graph does not hold, in the tenant's scope. */
  async removeExtras(kind: ProjectionKind, tenantId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return withTenant(this.deps.db, tenantId, (trx) => kind.removeExtras(trx, ids));
  }
}
