import type { GraphName } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import type { ProjectionKind } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import neo4j from "neo4j-driver";
import { BackfillCheckpoints } from "./backfill-checkpoints";
import { ProjectionRepair } from "./projection-repair";
import type { ProjectionCatalog } from "./projection-catalog";

/** Entities per page: one graph read and one Postgres transaction each. */
const PAGE = 500;

export interface BackfillProgress {
  tenantId: string;
  kind: string;
  /** Entities of this kind written so far, including those of an interrupted run it resumed. */
  written: number;
  resumedFrom: string | null;
}

/**
 * Streams every deal, action item, topic and interaction of a tenant from the graphs into
 * Postgres (DESIGN §2: backfill rebuilds the projection), page by page in id order, with the
 * pipelines' own projection code, so the rows are the ones live processing writes. A checkpoint
 * after each page lets an interrupted run resume where it stopped; the upserts are idempotent,
 * so running it again changes nothing. `since` limits it to entities changed since then.
 */
export class Backfill {
  private readonly repair: ProjectionRepair;
  private readonly checkpoints: BackfillCheckpoints;

  constructor(private readonly deps: { graphs: Record<GraphName, GraphClient>; db: Kysely<Database>; catalog: ProjectionCatalog }) {
    this.repair = new ProjectionRepair(deps);
    this.checkpoints = new BackfillCheckpoints(deps.db);
  }

  /**
   * What a backfill streams: each pipeline's kinds marked for it, in the catalog's order (topics
   * before the action items that point at them, interactions after their entities). Versions,
   * owners and links are projected with their entities.
   */
  async run(tenantId: string, options: { since?: string; onProgress?: (progress: BackfillProgress) => void } = {}): Promise<Record<string, number>> {
    const since = options.since ?? "";
    const totals: Record<string, number> = {};
    for (const spec of this.deps.catalog.projectionKinds().filter((k) => k.backfill)) {
      const name = spec.kind;
      const checkpoint = await this.checkpoints.read(tenantId, name, since);
      let after = checkpoint?.lastId ?? "";
      let written = checkpoint?.rowsWritten ?? 0;
      for (;;) {
        const page = await this.pageOfIds(spec, tenantId, after, since);
        if (page.length === 0) break;
        await this.repair.reproject(spec, tenantId, page);
        written += page.length;
        after = page[page.length - 1] as string;
        await this.checkpoints.save(tenantId, name, since, after, written);
        options.onProgress?.({ tenantId, kind: name, written, resumedFrom: checkpoint?.lastId ?? null });
        if (page.length < PAGE) break;
      }
      await this.checkpoints.clear(tenantId, name, since);
      totals[name] = written;
    }
    return totals;
  }

  private async pageOfIds(spec: ProjectionKind, tenantId: string, after: string, since: string): Promise<string[]> {
    // Label and property names are constants of the kind's pipeline; values are parameters.
    const changedSince = since ? "AND coalesce(n.updated_at, n.processed_at, n.created_at) >= datetime($since)" : "";
    return this.deps.graphs[spec.graph].read(async (tx) => {
      const result = await tx.run(
        `MATCH (n:${spec.label}) WHERE n.tenant_id = $tenantId AND n.${spec.idProperty} > $after ${changedSince}
         RETURN n.${spec.idProperty} AS id ORDER BY id LIMIT $limit`,
        { tenantId, after, since, limit: neo4j.int(PAGE) },
      );
      return result.records.map((r) => String(r.get("id")));
    });
  }
}
