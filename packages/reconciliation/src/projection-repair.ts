import { AiGraphRepository, ItemProjectionRepository } from "@dealgraph/action-item-pipeline";
import { DealGraphRepository, DealProjectionRepository } from "@dealgraph/deal-pipeline";
import { plainProperties, type GraphClient } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { projectionKind, type GraphName, type KindName, type ProjectionKind } from "./projection-kinds";

/** Entities re-projected per round trip. */
const BATCH = 500;

function batches<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Mends the projection from the graph, the source of truth: missing and stale rows are
 * projected again with the pipelines' own repositories (so the rows are exactly what a live
 * run writes), and rows with no entity behind them are removed. `opportunities` rows are never
 * deleted, because the CRM shares them: an extra one is detached (it keeps its CRM data and
 * stops claiming a graph deal).
 */
export class ProjectionRepair {
  private readonly dealGraph = new DealGraphRepository();
  private readonly aiGraph = new AiGraphRepository();
  private readonly dealRows: DealProjectionRepository;
  private readonly itemRows: ItemProjectionRepository;

  constructor(private readonly deps: { graphs: Record<GraphName, GraphClient>; db: Kysely<Database> }) {
    this.dealRows = new DealProjectionRepository(deps.db);
    this.itemRows = new ItemProjectionRepository(deps.db);
  }

  /** Projects these entities of a kind again from the graph; returns how many were found there. */
  async reproject(kind: ProjectionKind, tenantId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    if (kind.parent) {
      // Versions are written with their parent, from the parent's graph read.
      const parents = await this.parentsOf(kind, tenantId, ids);
      await this.reproject(projectionKind(kind.parent.kind), tenantId, parents);
      return ids.length;
    }
    let found = 0;
    for (const batch of batches(ids)) found += await this.reprojectBatch(kind.kind, tenantId, batch);
    return found;
  }

  private async reprojectBatch(kind: KindName, tenantId: string, ids: string[]): Promise<number> {
    const { graphs } = this.deps;
    switch (kind) {
      case "deals": {
        const deals = await graphs.deals.read((tx) => this.dealGraph.readForProjection(tx, tenantId, ids));
        if (deals.length > 0) await this.dealRows.project({ tenantId, interaction: null, deals });
        return deals.length;
      }
      case "action_items":
      case "topics": {
        const read = await graphs.ai.read((tx) =>
          this.aiGraph.readForProjection(tx, tenantId, kind === "topics" ? { items: [], topics: ids } : { items: ids, topics: [] }),
        );
        if (read.items.length + read.topics.length > 0) await this.itemRows.project({ tenantId, interaction: null, ...read });
        return read.items.length + read.topics.length;
      }
      case "owners": {
        // Owners are projected with the items they own.
        const items = await graphs.ai.read(async (tx) => {
          const result = await tx.run(
            "MATCH (a:ActionItem {tenant_id: $tenantId})-[:OWNED_BY]->(o:Owner {tenant_id: $tenantId}) WHERE o.owner_id IN $ids RETURN DISTINCT a.action_item_id AS id",
            { tenantId, ids },
          );
          return result.records.map((r) => String(r.get("id")));
        });
        await this.reproject(projectionKind("action_items"), tenantId, items);
        return ids.length;
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
        return interactions.length;
      }
      default:
        throw new Error(`${kind} is re-projected through its parent`);
    }
  }

  private async parentsOf(kind: ProjectionKind, tenantId: string, ids: readonly string[]): Promise<string[]> {
    const parent = kind.parent as NonNullable<ProjectionKind["parent"]>;
    return this.deps.graphs[kind.graph].read(async (tx) => {
      // Label and property names are constants of PROJECTION_KINDS.
      const result = await tx.run(
        `MATCH (n:${kind.label} {tenant_id: $tenantId}) WHERE n.${kind.idProperty} IN $ids RETURN DISTINCT n.${parent.idProperty} AS id`,
        { tenantId, ids: [...ids] },
      );
      return result.records.map((r) => String(r.get("id")));
    });
  }

  /** Removes (or, for opportunities, detaches) rows whose entity the graph does not hold. */
  async removeExtras(kind: ProjectionKind, tenantId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const list = [...ids];
    return withTenant(this.deps.db, tenantId, async (trx) => {
      switch (kind.kind) {
        case "deals":
          await trx.deleteFrom("deal_versions").where("opportunity_id", "in", list).execute();
          return Number(
            (await trx.updateTable("opportunities").set({ graph_opportunity_id: null, deal_ref: null }).where("graph_opportunity_id", "in", list).executeTakeFirst())
              .numUpdatedRows,
          );
        case "deal_versions":
          return Number((await trx.deleteFrom("deal_versions").where("version_id", "in", list).executeTakeFirst()).numDeletedRows);
        case "action_items":
          await trx.deleteFrom("action_item_versions").where("action_item_id", "in", list).execute();
          await trx.deleteFrom("interaction_links").where("entity_type", "=", "action_item").where("entity_id", "in", list).execute();
          return Number((await trx.deleteFrom("action_items").where("action_item_id", "in", list).executeTakeFirst()).numDeletedRows);
        case "action_item_versions":
          return Number((await trx.deleteFrom("action_item_versions").where("version_id", "in", list).executeTakeFirst()).numDeletedRows);
        case "topics":
          await trx.updateTable("action_items").set({ topic_id: null }).where("topic_id", "in", list).execute();
          await trx.deleteFrom("topic_versions").where("topic_id", "in", list).execute();
          await trx.deleteFrom("interaction_links").where("entity_type", "=", "topic").where("entity_id", "in", list).execute();
          return Number((await trx.deleteFrom("topics").where("topic_id", "in", list).executeTakeFirst()).numDeletedRows);
        case "topic_versions":
          return Number((await trx.deleteFrom("topic_versions").where("version_id", "in", list).executeTakeFirst()).numDeletedRows);
        case "owners":
          await trx.updateTable("action_items").set({ owner_id: null }).where("owner_id", "in", list).execute();
          await trx.deleteFrom("interaction_links").where("entity_type", "=", "owner").where("entity_id", "in", list).execute();
          return Number((await trx.deleteFrom("owners").where("owner_id", "in", list).executeTakeFirst()).numDeletedRows);
        case "deal_interactions":
          return Number(
            (await trx.updateTable("interactions").set({ deal_count: null, deals_processed_at: null }).where("interaction_id", "in", list).executeTakeFirst())
              .numUpdatedRows,
          );
        case "action_item_interactions":
          return Number(
            (
              await trx
                .updateTable("interactions")
                .set({ action_item_count: null, action_items_processed_at: null })
                .where("interaction_id", "in", list)
                .executeTakeFirst()
            ).numUpdatedRows,
          );
      }
    });
  }
}
