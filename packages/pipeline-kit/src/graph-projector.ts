import type { GraphClient, GraphTransaction } from "@dealgraph/graph";
import type { EnvelopeProjector } from "./envelope-frame";
import type { InProjection } from "./projection-writer";

/**
 * A pipeline's projector: what the graph holds for an interaction (read in one transaction, or
 * as the store's write read it back), written to Postgres by the pipeline's projection
 * repository (one tenant-scoped transaction).
 */
export class GraphProjector<Linked, Source, Counts> implements EnvelopeProjector<Linked, Source, Counts> {
  constructor(
    private readonly graph: GraphClient,
    private readonly steps: {
      /** `linked` null: the records the graph links to the interaction. */
      read(tx: GraphTransaction, tenantId: string, interactionId: string, linked: Linked | null): Promise<Source>;
      /** `alongside`: the caller's work in the projection's transaction (see InProjection); a writer that cannot take it ignores it. */
      write(tenantId: string, source: Source, alongside?: InProjection<Counts>): Promise<Counts>;
    },
  ) {}

  async project(tenantId: string, interactionId: string, linked: Linked | null, alongside?: InProjection<Counts>): Promise<Counts> {
    const source = await this.graph.read((tx) => this.steps.read(tx, tenantId, interactionId, linked));
    return this.steps.write(tenantId, source, alongside);
  }

  projectWritten(tenantId: string, written: Source, alongside?: InProjection<Counts>): Promise<Counts> {
    return this.steps.write(tenantId, written, alongside);
  }
}
