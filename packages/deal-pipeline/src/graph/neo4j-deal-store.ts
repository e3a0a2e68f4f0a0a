import { recordedOutcome, stampInteraction, upsertInteraction, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { CandidateSearch, type CandidateQuery, type CandidateResult } from "@dealgraph/matching";
import type { AcceptedEnvelope } from "@dealgraph/contracts";
import type { DealGraphStore, DealWrite } from "../pipeline/deal-ports";
import { DealGraphRepository, type EnvelopeState } from "./deal-graph-repository";

/** The deal pipeline's store on Neo4j: each method one transaction of the deal graph. */
export class Neo4jDealStore implements DealGraphStore {
  private readonly repository = new DealGraphRepository();
  private readonly search: CandidateSearch;

  constructor(private readonly graph: GraphClient) {
    this.search = new CandidateSearch(graph, "deal");
  }

  readState(facts: InteractionFacts, envelope: AcceptedEnvelope): Promise<EnvelopeState> {
    return this.graph.read((tx) => this.repository.readEnvelopeState(tx, facts, envelope.opportunity_id ?? null));
  }

  async readApplied(tenantId: string, interactionId: string) {
    const applied = await this.graph.read((tx) => this.repository.readInteraction(tx, tenantId, interactionId));
    const linked = applied?.dealIds ?? [];
    return { linked, count: linked.length, outcome: applied ? recordedOutcome(applied.properties, "deals") : null };
  }

  write(facts: InteractionFacts, planned: DealWrite | null, stamp: { count: number; outcome: unknown }): Promise<void> {
    return this.graph.write(async (tx) => {
      await upsertInteraction(tx, facts);
      if (planned !== null) {
        await this.repository.createDeals(tx, facts, planned.creates);
        await this.repository.mergeDeals(tx, facts, planned.merges);
      }
      await stampInteraction(tx, facts, "deals", stamp.count, stamp.outcome as Record<string, unknown>);
    });
  }

  findCandidates(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<CandidateResult[]> {
    return this.search.find(tenantId, accountId, queries);
  }

  readDeals(tenantId: string, ids: readonly string[]): Promise<Array<Record<string, unknown>>> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.graph.read((tx) => this.repository.readDeals(tx, tenantId, ids));
  }
}
