import type { AcceptedEnvelope } from "@dealgraph/contracts";
import { recordedOutcome, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { CandidateSearch, searchTogether, withRecords, type CandidateQuery } from "@dealgraph/matching";
import type { ActionItemCandidates, ActionItemEnvelopeState, ActionItemGraphStore, ActionItemWrite } from "../pipeline/action-item-ports";
import {
  ActionItemGraphRepository,
  ITEM_CANDIDATE_RECORD,
  TOPIC_CANDIDATE_RECORD,
  itemCandidateRecord,
  topicCandidateRecord,
  type ItemProjectionSource,
} from "./action-item-graph-repository";

/** The action-item pipeline's store on Neo4j: each method one transaction of the action-item graph (the reads on every envelope's path a single statement each). */
export class Neo4jActionItemStore implements ActionItemGraphStore {
  private readonly repository = new ActionItemGraphRepository();
  private readonly search: { items: CandidateSearch; topics: CandidateSearch };

  /** `mintId` names the owners the graph does not know yet. */
  constructor(
    private readonly graph: GraphClient,
    private readonly mintId: () => string,
  ) {
    this.search = {
      items: new CandidateSearch(graph, "action_item", { record: ITEM_CANDIDATE_RECORD }),
      topics: new CandidateSearch(graph, "topic", { record: TOPIC_CANDIDATE_RECORD }),
    };
  }

  readState(facts: InteractionFacts, _envelope: AcceptedEnvelope): Promise<ActionItemEnvelopeState & { applied: boolean }> {
    return this.graph.readOne((tx) => this.repository.readEnvelopeState(tx, facts));
  }

  async readApplied(tenantId: string, interactionId: string) {
    const applied = await this.graph.readOne((tx) => this.repository.readInteraction(tx, tenantId, interactionId));
    const linked = { items: applied?.itemIds ?? [], topics: applied?.topicIds ?? [] };
    return { linked, count: linked.items.length, outcome: applied ? recordedOutcome(applied.properties, "action_items") : null };
  }

  write(facts: InteractionFacts, planned: ActionItemWrite | null, stamp: { count: number; outcome: unknown }): Promise<ItemProjectionSource> {
    const nothing = { owners: [], topicCreates: [], topicMerges: [], itemCreates: [], itemMerges: [] };
    return this.graph.write((tx) => this.repository.writeEnvelope(tx, facts, planned ?? nothing, stamp, this.mintId));
  }

  async findCandidates(
    tenantId: string,
    accountId: string,
    queries: { items: readonly CandidateQuery[]; topics: readonly CandidateQuery[] },
  ): Promise<ActionItemCandidates> {
    const [items = [], topics = []] = await searchTogether(this.graph, tenantId, accountId, [
      { search: this.search.items, queries: queries.items },
      { search: this.search.topics, queries: queries.topics },
    ]);
    return { items: withRecords(items, itemCandidateRecord), topics: withRecords(topics, topicCandidateRecord) };
  }
}
