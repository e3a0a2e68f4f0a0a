import { AiGraphRepository, ItemProjectionRepository } from "@dealgraph/action-item-pipeline";
import { DealGraphRepository, DealProjectionRepository } from "@dealgraph/deal-pipeline";
import { plainProperties, type GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import neo4j from "neo4j-driver";
import { BackfillCheckpoints } from "./backfill-checkpoints";
import type { GraphName } from "./projection-kinds";

/**
 * What a backfill streams, in this order: topics before the action items that point at them,
 * and the interactions last (their rows carry each side's counts).
 */
const BACKFILL_KINDS = [
  { kind: "topics", graph: "ai", label: "Topic", idProperty: "topic_id" },
  { kind: "deals", graph: "deals", label: "Deal", idProperty: "opportunity_id" },
  { kind: "action_items", graph: "ai", label: "ActionItem", idProperty: "action_item_id" },
  { kind: "deal_interactions", graph: "deals", label: "Interaction", idProperty: "interaction_id" },
  { kind: "action_item_interactions", graph: "ai", label: "Interaction", idProperty: "interaction_id" },
] as const;
export type BackfillKind = (typeof BACKFILL_KINDS)[number]["kind"];

/** Entities per page: one graph read and one Postgres transaction each. */
const PAGE = 500;

export interface BackfillProgress {
  tenantId: string;
  kind: BackfillKind;
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
  private readonly dealGraph = new DealGraphRepository();
  private readonly aiGraph = new AiGraphRepository();
  private readonly dealRows: DealProjectionRepository;
  private readonly itemRows: ItemProjectionRepository;
  private readonly checkpoints: BackfillCheckpoints;

  constructor(private readonly deps: { graphs: Record<GraphName, GraphClient>; db: Kysely<Database> }) {
    this.dealRows = new DealProjectionRepository(deps.db);
    this.itemRows = new ItemProjectionRepository(deps.db);
    this.checkpoints = new BackfillCheckpoints(deps.db);
  }

  async run(tenantId: string, options: { since?: string; onProgress?: (progress: BackfillProgress) => void } = {}): Promise<Record<BackfillKind, number>> {
    const since = options.since ?? "";
    const totals = {} as Record<BackfillKind, number>;
    for (const spec of BACKFILL_KINDS) {
      const checkpoint = await this.checkpoints.read(tenantId, spec.kind, since);
      let after = checkpoint?.lastId ?? "";
      let written = checkpoint?.rowsWritten ?? 0;
      for (;;) {
        const page = await this.pageOfIds(spec, tenantId, after, since);
        if (page.length === 0) break;
        await this.project(spec.kind, tenantId, page);
        written += page.length;
        after = page[page.length - 1] as string;
        await this.checkpoints.save(tenantId, spec.kind, since, after, written);
        options.onProgress?.({ tenantId, kind: spec.kind, written, resumedFrom: checkpoint?.lastId ?? null });
        if (page.length < PAGE) break;
      }
      await this.checkpoints.clear(tenantId, spec.kind, since);
      totals[spec.kind] = written;
    }
    return totals;
  }

  private async pageOfIds(spec: (typeof BACKFILL_KINDS)[number], tenantId: string, after: string, since: string): Promise<string[]> {
    // Label and property names are constants of BACKFILL_KINDS; values are parameters.
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

  private async project(kind: BackfillKind, tenantId: string, ids: string[]): Promise<void> {
    const { graphs } = this.deps;
    switch (kind) {
      case "deals": {
        const deals = await graphs.deals.read((tx) => this.dealGraph.readForProjection(tx, tenantId, ids));
        await this.dealRows.project({ tenantId, interaction: null, deals });
        return;
      }
      case "topics":
      case "action_items": {
        const read = await graphs.ai.read((tx) => this.aiGraph.readForProjection(tx, tenantId, kind === "topics" ? { items: [], topics: ids } : { items: ids, topics: [] }));
        await this.itemRows.project({ tenantId, interaction: null, ...read });
        return;
      }
      case "deal_interactions":
      case "action_item_interactions": {
        const graph = kind === "deal_interactions" ? graphs.deals : graphs.ai;
        const interactions = await graph.read(async (tx) => {
          const result = await tx.run(
            "MATCH (n:Interaction {tenant_id: $tenantId}) WHERE n.interaction_id IN $ids AND n.processed_at IS NOT NULL RETURN n {.*} AS properties",
            { tenantId, ids },
          );
          return result.records.map((r) => plainProperties(r.get("properties") as Record<string, unknown>));
        });
        for (const interaction of interactions) {
          if (kind === "deal_interactions") await this.dealRows.project({ tenantId, interaction, deals: [] });
          else await this.itemRows.project({ tenantId, interaction, items: [], topics: [] });
        }
        return;
      }
    }
  }
}
