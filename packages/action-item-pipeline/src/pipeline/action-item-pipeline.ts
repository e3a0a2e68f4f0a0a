import type { AcceptedEnvelope } from "@dealgraph/contracts";
import type { ExtractedActionItem } from "@dealgraph/extraction";
import type { InteractionFacts } from "@dealgraph/graph";
import { extractActionItems, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import {
  candidateRecords,
  normalizeKey,
  readMatchedRecords,
  resolveMatches,
  textChangedMaterially,
  type MatchResolution,
  type MatchThresholds,
} from "@dealgraph/matching";
import { FramedPipeline, NO_ACCOUNT, interactionFacts, interactionText, runBasics, warningsOf } from "@dealgraph/pipeline-kit";
import type { EnvelopeRun, FrameStage, PipelineMeter, PipelineWarning, PlannedEnvelope, StageInput } from "@dealgraph/pipeline-kit";
import { z } from "zod";
import { describeItemChanges, describeTopicChanges } from "../domain/item-changes";
import { planItems, type ItemOutcome, type ItemPlan } from "../domain/item-plan";
import { itemFromProperties, type ActionItemRecord } from "../domain/item-record";
import { topicFromProperties, type TopicRecord } from "../domain/topic-record";
import type { ItemMergeWrite, ItemProjectionSource, TopicMergeWrite } from "../graph/action-item-graph-repository";
import type { ItemProjectionCounts } from "../projection/item-projection-repository";
import type {
  ActionItemCandidates,
  ActionItemEnvelopeState,
  ActionItemGraphStore,
  ActionItemIds,
  ActionItemProjector,
  ActionItemWrite,
} from "./action-item-ports";
import type { ActionItemPipelineResult, ActionItemPipelineStage } from "./action-item-pipeline-result";

/** What a run keeps on its Interaction node, so a replay can report it (validated when read back). */
const appliedOutcomeSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  mentioned: z.array(z.string()),
  topics: z.object({ created: z.array(z.string()), updated: z.array(z.string()) }),
});
type AppliedOutcome = z.infer<typeof appliedOutcomeSchema>;

export interface ActionItemPipelineOptions {
  store: ActionItemGraphStore;
  projector: ActionItemProjector;
  llm: LlmProvider;
  thresholds: MatchThresholds;
  logger: Logger;
  mintId?: () => string;
}

type Meter = PipelineMeter<ActionItemPipelineStage | FrameStage>;
type ItemDetails = { items: ItemOutcome[] };

/** What a topic label is matched with: the label and the items filed under it. */
const topicQueryText = (label: string, items: readonly ExtractedActionItem[]) =>
  `${label}: ${items
    .filter((i) => normalizeKey(i.topic) === normalizeKey(label))
    .map((i) => i.text)
    .join("; ")}`;

/**
 * DESIGN §5, per envelope: Extract → Match → Merge → Topics, then the Postgres projection. The
 * frame (pipeline-kit) runs stage 0, the write, the stamp and the projection; this class fills
 * in extraction, matching and the plan.
 *
 * At most four sequential model rounds whatever the number of items: extract; one embedding
 * batch for items and topic labels; the middle-band questions for items and for topics, in two
 * concurrent calls; one batch re-embedding what changed materially. The graph is read twice, a
 * statement each (stage 0; both searches of the candidates with their stored records), and
 * written in one statement that also reads back what the projection writes.
 */
export class ActionItemPipeline extends FramedPipeline<
  ActionItemEnvelopeState,
  ActionItemWrite,
  ActionItemIds,
  ItemProjectionSource,
  AppliedOutcome,
  ItemDetails,
  ItemProjectionCounts,
  ActionItemPipelineStage,
  ActionItemPipelineResult
> {
  constructor(private readonly options: ActionItemPipelineOptions) {
    super({ pipeline: "action_items", extracts: "action items", outcomeSchema: appliedOutcomeSchema }, options);
  }

  protected result(
    run: EnvelopeRun<AppliedOutcome, ItemDetails, ItemProjectionCounts, ActionItemPipelineStage>,
    envelope: AcceptedEnvelope,
  ): ActionItemPipelineResult {
    return {
      pipeline: "action_items",
      ...runBasics(run),
      accountId: envelope.account_id ?? null,
      items: run.details.items,
      ...run.outcome,
      itemCount: run.count,
    };
  }

  nothing() {
    return {
      outcome: { created: [], updated: [], mentioned: [], topics: { created: [], updated: [] } },
      details: { items: [] },
    };
  }

  facts(envelope: AcceptedEnvelope): InteractionFacts {
    return interactionFacts(envelope, envelope.account_id ?? NO_ACCOUNT);
  }

  async plan({
    envelope,
    facts,
    state,
    meter,
  }: StageInput<ActionItemEnvelopeState, ActionItemPipelineStage>): Promise<
    PlannedEnvelope<ActionItemWrite, AppliedOutcome, ItemDetails, ActionItemPipelineStage>
  > {
    // Extract, told the account's open items so a report on one comes back under its stored text.
    const extraction = await meter.time("extract", () =>
      extractActionItems(this.options.llm, {
        ...interactionText(envelope),
        targeted: false,
        knownItems: state.knownItems,
      }),
    );
    meter.round([extraction.call]);
    const warnings = warningsOf("extraction_corrected", "extract", extraction.warnings);
    const items = extraction.value.action_items;
    const labels = distinctLabels(items);

    // Match: one embedding batch for items and topic labels, then both searches and both middle bands at once.
    const vectors = await meter.time("embed", () =>
      meter.embed(this.options.llm, [...items.map((i) => i.text), ...labels.map((l) => topicQueryText(l, items))]),
    );
    const itemVectors = vectors.slice(0, items.length);
    const topicVectors = vectors.slice(items.length);
    const matched = await meter.time("match", () => this.match(meter, facts, items, itemVectors, labels, topicVectors, warnings));
    const stored = readStored(matched.items, matched.topics, matched.found);

    const resolutions = matched.items.map((r): MatchResolution =>
      r.kind === "existing" && stored.failed.has(r.id) ? { kind: "failed", message: stored.failed.get(r.id) ?? "" } : r,
    );
    const plan = planItems({
      items: { inputs: items, resolutions, embeddings: itemVectors, sameSimilarity: this.options.thresholds.autoMerge },
      storedItems: stored.items,
      topicLabels: labels,
      topicEmbeddings: topicVectors,
      topicResolutions: matched.topics,
      storedTopics: stored.topics,
      tenantId: facts.tenantId,
      accountId: facts.accountId,
      source: { interactionId: facts.interactionId, userId: facts.userId, occurredAt: facts.occurredAt },
      mintId: this.mintId,
    });
    const { itemMerges, topicMerges } = await meter.time("reembed", () => this.reembed(meter, plan));

    const owners = [...plan.items.creates.map((c) => c.record.ownerName), ...itemMerges.map((m) => m.record.ownerName)];
    return {
      write: {
        owners: owners.filter((o): o is string => o !== null),
        topicCreates: plan.topics.creates,
        topicMerges,
        itemCreates: plan.items.creates,
        itemMerges,
      },
      outcome: {
        created: plan.items.creates.map((c) => c.record.actionItemId),
        updated: itemMerges.filter((m) => m.changedFields.length > 0).map((m) => m.record.actionItemId),
        mentioned: itemMerges.filter((m) => m.changedFields.length === 0).map((m) => m.record.actionItemId),
        topics: {
          created: plan.topics.creates.map((c) => c.record.topicId),
          updated: topicMerges.filter((m) => m.changedFields.length > 0).map((m) => m.record.topicId),
        },
      },
      count: plan.items.creates.length + plan.items.merges.length,
      details: { items: plan.outcomes },
      warnings,
      errors: plan.failures.map((f) => ({ index: f.index, stage: "match" as const, message: f.message })),
    };
  }

  private async match(
    meter: Meter,
    facts: InteractionFacts,
    items: readonly ExtractedActionItem[],
    itemVectors: readonly number[][],
    labels: readonly string[],
    topicVectors: readonly number[][],
    warnings: PipelineWarning[],
  ): Promise<{ items: MatchResolution[]; topics: MatchResolution[]; found: ActionItemCandidates }> {
    const found = await this.options.store.findCandidates(facts.tenantId, facts.accountId, {
      items: items.map((item, i) => ({ key: normalizeKey(item.text), embedding: itemVectors[i] ?? [] })),
      topics: labels.map((label, i) => ({ key: normalizeKey(label), embedding: topicVectors[i] ?? [] })),
    });
    const thresholds = this.options.thresholds;
    const [itemMatches, topicMatches] = await Promise.all([
      resolveMatches(this.options.llm, { kind: "action_item", texts: items.map((i) => i.text), found: found.items, thresholds }),
      resolveMatches(this.options.llm, { kind: "topic", texts: labels.map((l) => topicQueryText(l, items)), found: found.topics, thresholds }),
    ]);
    meter.round([itemMatches.call, topicMatches.call]);
    warnings.push(...warningsOf("answer_corrected", "match", [...itemMatches.warnings, ...topicMatches.warnings]));
    return { items: itemMatches.resolutions, topics: topicMatches.resolutions, found };
  }

  /** One batch re-embeds every item whose text, and every topic whose summary, changed materially. */
  private async reembed(meter: Meter, plan: ItemPlan): Promise<{ itemMerges: ItemMergeWrite[]; topicMerges: TopicMergeWrite[] }> {
    const items = plan.items.merges.filter((m) => textChangedMaterially(m.base.text, m.next.text));
    const topics = plan.topics.merges.filter((m) => textChangedMaterially(m.base.summary, m.next.summary));
    const vectors = await meter.embed(this.options.llm, [...items.map((m) => m.next.text), ...topics.map((m) => `${m.next.name}: ${m.next.summary}`)]);
    const itemVectors = new Map(items.map((m, i) => [m.base.actionItemId, vectors[i] ?? null]));
    const topicVectors = new Map(topics.map((m, i) => [m.base.topicId, vectors[items.length + i] ?? null]));
    return {
      itemMerges: plan.items.merges.map((m) => ({
        record: m.next,
        baseVersion: m.base.versionNumber,
        versionId: this.mintId(),
        changedFields: m.changedFields,
        changeSummary: describeItemChanges(m.base, m.next, m.changedFields),
        embeddingCurrent: itemVectors.get(m.base.actionItemId) ?? null,
      })),
      topicMerges: plan.topics.merges.map((m) => ({
        record: m.next,
        baseVersion: m.base.versionNumber,
        versionId: this.mintId(),
        changedFields: m.changedFields,
        changeSummary: describeTopicChanges(m.base, m.next),
        embeddingCurrent: topicVectors.get(m.base.topicId) ?? null,
      })),
    };
  }
}

function distinctLabels(items: readonly ExtractedActionItem[]): string[] {
  const labels = new Map<string, string>();
  for (const item of items) if (!labels.has(normalizeKey(item.topic))) labels.set(normalizeKey(item.topic), item.topic);
  return [...labels.values()];
}

/**
 * The stored items (with their topics) and topics that resolutions point at, from the records
 * their candidates came with; an unreadable item fails only the extracted items merging into it.
 */
function readStored(itemResolutions: readonly MatchResolution[], topicResolutions: readonly MatchResolution[], found: ActionItemCandidates) {
  const ids = (resolutions: readonly MatchResolution[]) => new Set(resolutions.flatMap((r) => (r.kind === "existing" ? [r.id] : [])));
  const storedTopics = candidateRecords(found.topics);
  const read = readMatchedRecords(
    ids(itemResolutions),
    candidateRecords(found.items),
    (stored) => ({ item: itemFromProperties(stored.item), topic: stored.topic }),
    "action item",
  );
  const topics = new Map<string, TopicRecord>();
  const readTopic = (properties: Record<string, unknown> | null | undefined) => {
    if (properties === null || properties === undefined) return;
    try {
      const topic = topicFromProperties(properties);
      topics.set(topic.topicId, topic);
    } catch {
      // A topic that cannot be read is left out; planItems fails the items that need it.
    }
  };
  for (const { topic } of read.records.values()) readTopic(topic);
  for (const id of ids(topicResolutions)) readTopic(storedTopics.get(id));
  const items = new Map<string, ActionItemRecord>([...read.records].map(([id, { item }]) => [id, item]));
  return { items, topics, failed: read.failed };
}
