import type { AcceptedEnvelope } from "@dealgraph/contracts";
import { recordedOutcome, stampInteraction, upsertInteraction, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { CandidateSearch, type CandidateQuery, type CandidateResult } from "@dealgraph/matching";
import type { ActionItemEnvelopeState, ActionItemGraphStore, ActionItemIds, ActionItemWrite } from "../pipeline/action-item-ports";
import { ActionItemGraphRepository } from "./action-item-graph-repository";

/** The action-item pipeline's store on Neo4j: each method one transaction of the action-item graph. */
export class Neo4jActionItemStore implements ActionItemGraphStore {
  private readonly repository = new ActionItemGraphRepository();
  private readonly search: Record<"action_item" | "topic", CandidateSearch>;

  /** `mintId` names the owners the graph does not know yet. */
  constructor(
    private readonly graph: GraphClient,
    private readonly mintId: () => string,
  ) {
    this.search = { action_item: new CandidateSearch(graph, "action_item"), topic: new CandidateSearch(graph, "topic") };
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
      await upsertInteraction(tx, facts);
      if (planned !== null) {
        await this.repository.upsertOwners(tx, facts.tenantId, planned.owners, this.mintId);
        await this.repository.createTopics(tx, facts, planned.topicCreates);
        await this.repository.mergeTopics(tx, facts, planned.topicMerges);
        await this.repository.createItems(tx, facts, planned.itemCreates);
        await this.repository.mergeItems(tx, facts, planned.itemMerges);
      }
      await stampInteraction(tx, facts, "action_items", stamp.count, stamp.outcome as Record<string, unknown>);
    });
  }

  findCandidates(target: "action_item" | "topic", tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<CandidateResult[]> {
    return this.search[target].find(tenantId, accountId, queries);
  }

  readStored(tenantId: string, ids: ActionItemIds) {
    return this.graph.read(async (tx) => ({
      items: await this.repository.readItems(tx, tenantId, ids.items),
      topics: await this.repository.readTopics(tx, tenantId, ids.topics),
    }));
  }
}
