import type { GraphClient, GraphTransaction } from "@dealgraph/graph";
import type { EnvelopeProjector } from "./envelope-frame";

/**
 * A pipeline's projector: what the graph holds for an interaction, read in one transaction, then
 * written to Postgres by the pipeline's projection repository (one tenant-scoped transaction).
 */
export class GraphProjector<Linked, Source, Counts> implements EnvelopeProjector<Linked, Counts> {
  constructor(
    private readonly graph: GraphClient,
    private readonly steps: {
      /** `linked` null: the records the graph links to the interaction. */
      read(tx: GraphTransaction, tenantId: string, interactionId: string, linked: Linked | null): Promise<Source>;
      write(tenantId: string, source: Source): Promise<Counts>;
    },
  ) {}

  async project(tenantId: string, interactionId: string, linked: Linked | null): Promise<Counts> {
    const source = await this.graph.read((tx) => this.steps.read(tx, tenantId, interactionId, linked));
    return this.steps.write(tenantId, source);
  }
}
