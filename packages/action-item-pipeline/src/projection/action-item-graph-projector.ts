import type { GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { ActionItemGraphRepository } from "../graph/action-item-graph-repository";
import type { ActionItemIds, ActionItemProjector } from "../pipeline/action-item-ports";
import { ItemProjectionRepository, type ItemProjectionCounts } from "./item-projection-repository";

/** Reads an interaction's items and topics from the action-item graph (one read) and writes their rows (one Postgres transaction). */
export class ActionItemGraphProjector implements ActionItemProjector {
  private readonly repository = new ActionItemGraphRepository();
  private readonly projection: ItemProjectionRepository;

  constructor(
    private readonly graph: GraphClient,
    db: Kysely<Database>,
  ) {
    this.projection = new ItemProjectionRepository(db);
  }

  async project(tenantId: string, interactionId: string, linked: ActionItemIds | null): Promise<ItemProjectionCounts> {
    const source = await this.graph.read(async (tx) => {
      const interaction = await this.repository.readInteraction(tx, tenantId, interactionId);
      const ids = linked ?? { items: interaction?.itemIds ?? [], topics: interaction?.topicIds ?? [] };
      return { interaction, ...(await this.repository.readForProjection(tx, tenantId, ids)) };
    });
    return this.projection.project({ tenantId, interaction: source.interaction?.properties ?? null, items: source.items, topics: source.topics });
  }
}
