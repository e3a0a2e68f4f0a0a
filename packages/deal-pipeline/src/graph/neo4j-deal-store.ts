import { recordedOutcome, writeStampedInteraction, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { CandidateSearch, withRecords, type CandidateQuery, type CandidateResult } from "@dealgraph/matching";
import type { AcceptedEnvelope } from "@dealgraph/contracts";
import type { DealGraphStore, DealWrite } from "../pipeline/deal-ports";
import { DEAL_CANDIDATE_RECORD, DealGraphRepository, dealCandidateRecord, type EnvelopeState } from "./deal-graph-repository";

/** The deal pipeline's store on Neo4j: each method one transaction of the deal graph. */
export class Neo4jDealStore implements DealGraphStore {
  private readonly repository = new DealGraphRepository();
  private readonly search: CandidateSearch;

  constructor(private readonly graph: GraphClient) {
    this.search = new CandidateSearch(graph, "deal", { record: DEAL_CANDIDATE_RECORD });
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
      await writeStampedInteraction(tx, facts, "deals", stamp);
      if (planned !== null) {
        await this.repository.createDeals(tx, facts, planned.creates);
        await this.repository.mergeDeals(tx, facts, planned.merges);
      }
    });
  }

  async findCandidates(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<Array<CandidateResult<Record<string, unknown>>>> {
    return withRecords(await this.search.find(tenantId, accountId, queries), dealCandidateRecord);
  }
}
