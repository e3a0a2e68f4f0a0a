import type { CandidateQuery, CandidateResult } from "@dealgraph/matching";
import type { EnvelopeGraphStore, EnvelopeProjector } from "@dealgraph/pipeline-kit";
import type { ItemPlan } from "../domain/item-plan";
import type { ItemMergeWrite, ItemProjectionSource, ItemWithTopic, TopicMergeWrite } from "../graph/action-item-graph-repository";
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
export interface ActionItemGraphStore extends EnvelopeGraphStore<ActionItemEnvelopeState, ActionItemWrite, ActionItemIds, ItemProjectionSource> {
  /**
   * One read for every query of an envelope: the account's items near each item query and its
   * topics near each topic query, each candidate with its stored record in `records`, so a
   * merge needs no second read.
   */
  findCandidates(
    tenantId: string,
    accountId: string,
    queries: { items: readonly CandidateQuery[]; topics: readonly CandidateQuery[] },
  ): Promise<ActionItemCandidates>;
}

/** Candidates of an envelope's items and topic labels, in query order. */
export interface ActionItemCandidates {
  items: Array<CandidateResult<ItemWithTopic>>;
  topics: Array<CandidateResult<Record<string, unknown>>>;
}

export type ActionItemProjector = EnvelopeProjector<ActionItemIds, ItemProjectionSource, ItemProjectionCounts>;
