import { recordedOutcome, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { CandidateSearch, withRecords, type CandidateQuery, type CandidateResult } from "@dealgraph/matching";
import type { AcceptedEnvelope } from "@dealgraph/contracts";
import type { DealGraphStore, DealWrite } from "../pipeline/deal-ports";
import { DEAL_CANDIDATE_RECORD, DealGraphRepository, dealCandidateRecord, type DealProjectionSource, type EnvelopeState } from "./deal-graph-repository";

/** The deal pipeline's store on Neo4j: each method one transaction of the deal graph (the reads on every envelope's path a single statement each). */
export class Neo4jDealStore implements DealGraphStore {
  private readonly repository = new DealGraphRepository();
  private readonly search: CandidateSearch;

  constructor(private readonly graph: GraphClient) {
    this.search = new CandidateSearch(graph, "deal", { record: DEAL_CANDIDATE_RECORD });
  }

  readState(facts: InteractionFacts, envelope: AcceptedEnvelope): Promise<EnvelopeState> {
    return this.graph.readOne((tx) => this.repository.readEnvelopeState(tx, facts, envelope.opportunity_id ?? null));
  }

  async readApplied(tenantId: string, interactionId: string) {
    const applied = await this.graph.readOne((tx) => this.repository.readInteraction(tx, tenantId, interactionId));
    const linked = applied?.dealIds ?? [];
    return { linked, count: linked.length, outcome: applied ? recordedOutcome(applied.properties, "deals") : null };
  }

  write(facts: InteractionFacts, planned: DealWrite | null, stamp: { count: number; outcome: unknown }): Promise<DealProjectionSource> {
    return this.graph.write((tx) => this.repository.writeEnvelope(tx, facts, planned ?? { creates: [], merges: [] }, stamp));
  }

  async findCandidates(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<Array<CandidateResult<Record<string, unknown>>>> {
    return withRecords(await this.search.find(tenantId, accountId, queries), dealCandidateRecord);
  }
}
