import type { GraphClient } from "@dealgraph/graph";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { DealGraphRepository } from "../graph/deal-graph-repository";
import type { DealIds, DealProjector } from "../pipeline/deal-ports";
import { DealProjectionRepository, type ProjectionCounts } from "./deal-projection-repository";

/** Reads an interaction's deals from the deal graph (one read) and writes their rows (one Postgres transaction). */
export class DealGraphProjector implements DealProjector {
  private readonly repository = new DealGraphRepository();
  private readonly projection: DealProjectionRepository;

  constructor(
    private readonly graph: GraphClient,
    db: Kysely<Database>,
  ) {
    this.projection = new DealProjectionRepository(db);
  }

  async project(tenantId: string, interactionId: string, linked: DealIds | null): Promise<ProjectionCounts> {
    const source = await this.graph.read(async (tx) => {
      const interaction = await this.repository.readInteraction(tx, tenantId, interactionId);
      return { interaction, deals: await this.repository.readForProjection(tx, tenantId, linked ?? interaction?.dealIds ?? []) };
    });
    return this.projection.project({ tenantId, interaction: source.interaction?.properties ?? null, deals: source.deals });
  }
}
