import type { CandidateQuery, CandidateResult } from "@dealgraph/matching";
import type { EnvelopeGraphStore, EnvelopeProjector } from "@dealgraph/pipeline-kit";
import type { ItemPlan } from "../domain/item-plan";
import type { ItemMergeWrite, TopicMergeWrite } from "../graph/action-item-graph-repository";
import type { ItemProjectionCounts } from "../projection/item-projection-repository";

/** What one envelope writes to the action-item graph (stamped with it, in one transaction). */
export interface ActionItemWrite {
  /** Owners the items name; the store finds each by normalised name or creates it. */
  owners: readonly string[];
  topicCreates: ItemPlan["topics"]["creates"];
  topicMerges: readonly TopicMergeWrite[];
  itemCreates: ItemPlan["items"]["creates"];
  itemMerges: readonly ItemMergeWrite[];
}

/** The items and topics an envelope's projection covers. */
export interface ActionItemIds {
  items: readonly string[];
  topics: readonly string[];
}

export interface ActionItemEnvelopeState {
  /** The account's open items (most recently changed first), which the extraction is told about. */
  knownItems: Array<{ text: string; owner_name: string | null }>;
}

/**
 * The action-item graph as the action-item pipeline uses it; `Neo4jActionItemStore` is the
 * real one, the unit tests keep theirs in memory.
 */
export interface ActionItemGraphStore extends EnvelopeGraphStore<ActionItemEnvelopeState, ActionItemWrite, ActionItemIds> {
  /** One round trip for every query: the account's items (or topics) near each one. */
  findCandidates(target: "action_item" | "topic", tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<CandidateResult[]>;
  /** Stored items (with their topic) and topics by id, as plain properties; unknown ids are absent. One read. */
  readStored(
    tenantId: string,
    ids: ActionItemIds,
  ): Promise<{ items: Array<{ item: Record<string, unknown>; topic: Record<string, unknown> | null }>; topics: Array<Record<string, unknown>> }>;
}

export type ActionItemProjector = EnvelopeProjector<ActionItemIds, ItemProjectionCounts>;
