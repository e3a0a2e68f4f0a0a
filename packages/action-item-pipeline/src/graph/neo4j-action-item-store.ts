import type { AcceptedEnvelope } from "@dealgraph/contracts";
import { recordedOutcome, writeStampedInteraction, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { CandidateSearch, withRecords, type CandidateQuery } from "@dealgraph/matching";
import type { ActionItemCandidates, ActionItemEnvelopeState, ActionItemGraphStore, ActionItemWrite } from "../pipeline/action-item-ports";
import {
  ActionItemGraphRepository,
  ITEM_CANDIDATE_RECORD,
  TOPIC_CANDIDATE_RECORD,
  itemCandidateRecord,
  topicCandidateRecord,
} from "./action-item-graph-repository";

/** The action-item pipeline's store on Neo4j: each method one transaction of the action-item graph. */
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
    return this.graph.read((tx) => this.repository.readEnvelopeState(tx, facts));
  }

  async readApplied(tenantId: string, interactionId: string) {
    const applied = await this.graph.read((tx) => this.repository.readInteraction(tx, tenantId, interactionId));
    const linked = { items: applied?.itemIds ?? [], topics: applied?.topicIds ?? [] };
    return { linked, count: linked.items.length, outcome: applied ? recordedOutcome(applied.properties, "action_items") : null };
  }

  write(facts: InteractionFacts, planned: ActionItemWrite | null, stamp: { count: number; outcome: unknown }): Promise<void> {
    return this.graph.write(async (tx) => {
      await writeStampedInteraction(tx, facts, "action_items", stamp);
      if (planned !== null) {
        await this.repository.upsertOwners(tx, facts.tenantId, planned.owners, this.mintId);
        await this.repository.createTopics(tx, facts, planned.topicCreates);
        await this.repository.mergeTopics(tx, facts, planned.topicMerges);
        await this.repository.createItems(tx, facts, planned.itemCreates);
        await this.repository.mergeItems(tx, facts, planned.itemMerges);
      }
    });
  }

  async findCandidates(
    tenantId: string,
    accountId: string,
    queries: { items: readonly CandidateQuery[]; topics: readonly CandidateQuery[] },
  ): Promise<ActionItemCandidates> {
    if (queries.items.length === 0 && queries.topics.length === 0) return { items: [], topics: [] };
    const found = await this.graph.read(async (tx) => ({
      items: await this.search.items.findIn(tx, tenantId, accountId, queries.items),
      topics: await this.search.topics.findIn(tx, tenantId, accountId, queries.topics),
    }));
    return { items: withRecords(found.items, itemCandidateRecord), topics: withRecords(found.topics, topicCandidateRecord) };
  }
}
