import { mintEntityId, type AcceptedEnvelope } from "@dealgraph/contracts";
import type { ExtractedActionItem } from "@dealgraph/extraction";
import { recordedOutcome, stampInteraction, upsertInteraction, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { extractActionItems, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import {
  CandidateSearch,
  normalizeKey,
  resolveMatches,
  textChangedMaterially,
  type MatchResolution,
  type MatchThresholds,
} from "@dealgraph/matching";
import {
  NO_ACCOUNT,
  PipelineMeter,
  interactionFacts,
  interactionText,
  projectionWarnings,
  runProjection,
  tooShortWarning,
  type ProjectionOutcome,
} from "@dealgraph/pipeline-kit";
import type { ManagedTransaction } from "neo4j-driver";
import { z } from "zod";
import { describeItemChanges, describeTopicChanges } from "../domain/item-changes";
import { planItems, type ItemPlan } from "../domain/item-plan";
import { itemFromProperties, type ActionItemRecord } from "../domain/item-record";
import { topicFromProperties, type TopicRecord } from "../domain/topic-record";
import { AiGraphRepository, type ItemMergeWrite, type TopicMergeWrite } from "../graph/ai-graph-repository";
import type { ItemProjectionCounts, ItemProjectionRepository } from "../projection/item-projection-repository";
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
  graph: GraphClient;
  llm: LlmProvider;
  projection: ItemProjectionRepository;
  thresholds: MatchThresholds;
  logger: Logger;
  mintId?: () => string;
}

type Meter = PipelineMeter<ActionItemPipelineStage>;

/** What a topic label is matched with: the label and the items filed under it. */
const topicQueryText = (label: string, items: readonly ExtractedActionItem[]) =>
  `${label}: ${items.filter((i) => normalizeKey(i.topic) === normalizeKey(label)).map((i) => i.text).join("; ")}`;

/**
 * DESIGN §5, per envelope: Extract → Match → Merge → Topics, then the Postgres projection.
 *
 * At most four sequential model rounds whatever the number of items: extract; one embedding
 * batch for items and topic labels; the middle-band questions for items and for topics, in two
 * concurrent calls; one batch re-embedding what changed materially. The graph is read three
 * times (stage 0, candidates, stored records) and written in one transaction of at most eight
 * UNWIND statements; the projection reads once more.
 */
export class ActionItemPipeline {
  private readonly repository = new AiGraphRepository();
  private readonly items: CandidateSearch;
  private readonly topics: CandidateSearch;
  private readonly mintId: () => string;

  constructor(private readonly options: ActionItemPipelineOptions) {
    this.items = new CandidateSearch(options.graph, "action_item");
    this.topics = new CandidateSearch(options.graph, "topic");
    this.mintId = options.mintId ?? mintEntityId;
  }

  async process(envelope: AcceptedEnvelope): Promise<ActionItemPipelineResult> {
    const facts = interactionFacts(envelope, envelope.account_id ?? NO_ACCOUNT);
    const log = this.options.logger.child({ tenant_id: facts.tenantId, interaction_id: facts.interactionId, account_id: envelope.account_id });
    const meter: Meter = new PipelineMeter<ActionItemPipelineStage>();
    const result = (status: ActionItemPipelineResult["status"], rest: Partial<ActionItemPipelineResult>): ActionItemPipelineResult => ({
      pipeline: "action_items",
      tenantId: facts.tenantId,
      interactionId: facts.interactionId,
      accountId: envelope.account_id ?? null,
      status,
      items: [],
      created: [],
      updated: [],
      mentioned: [],
      topics: { created: [], updated: [] },
      itemCount: 0,
      projection: { status: "projected", counts: emptyCounts() },
      warnings: [],
      errors: [],
      ...rest,
      timings: meter.elapsed(),
      llm: meter.llm(),
    });

    const state = await meter.time("route", () => this.options.graph.read((tx) => this.repository.readEnvelopeState(tx, facts)));
    if (state.applied) {
      const applied = await this.options.graph.read((tx) => this.repository.readInteraction(tx, facts.tenantId, facts.interactionId));
      const ids = { items: applied?.itemIds ?? [], topics: applied?.topicIds ?? [] };
      const projection = await meter.time("project", () => this.project(facts, ids, log));
      // The first run's outcome, as it was: a replay after a crash reports what the envelope did.
      const original = appliedOutcomeSchema.safeParse(applied ? recordedOutcome(applied.properties, "action_items") : null);
      log.info({ items: ids.items.length }, "action-item pipeline: envelope already applied; re-projected");
      return result("already_applied", { ...(original.success ? original.data : {}), itemCount: ids.items.length, projection, warnings: projectionWarnings(projection) });
    }
    const tooShort = tooShortWarning(envelope, "action items");
    if (tooShort !== null) {
      await meter.time("write", () => this.options.graph.write((tx) => this.writeEnvelope(tx, facts, emptyPlan(), [], [])));
      const projection = await meter.time("project", () => this.project(facts, { items: [], topics: [] }, log));
      return result("skipped", { projection, warnings: [tooShort, ...projectionWarnings(projection)] });
    }

    // Extract, told the account's open items so a report on one comes back under its stored text.
    const extraction = await meter.time("extract", () =>
      extractActionItems(this.options.llm, {
        ...interactionText(envelope),
        targeted: false,
        knownItems: state.knownItems,
      }),
    );
    meter.round([extraction.call]);
    const warnings = extraction.warnings.map((w) => `extract: ${w}`);
    const items = extraction.value.action_items;
    const labels = distinctLabels(items);

    // Match: one embedding batch for items and topic labels, then both searches and both middle bands at once.
    const vectors = await meter.time("embed", () => meter.embed(this.options.llm, [...items.map((i) => i.text), ...labels.map((l) => topicQueryText(l, items))]));
    const itemVectors = vectors.slice(0, items.length);
    const topicVectors = vectors.slice(items.length);
    const matched = await meter.time("match", () => this.match(meter, facts, items, itemVectors, labels, topicVectors, warnings));
    const stored = await this.readStored(facts.tenantId, matched.items, matched.topics);

    const plan = planItems({
      items,
      itemEmbeddings: itemVectors,
      itemResolutions: matched.items.map((r) => (r.kind === "existing" && stored.failed.has(r.id) ? { kind: "failed", message: stored.failed.get(r.id) ?? "" } : r)),
      storedItems: stored.items,
      topicLabels: labels,
      topicEmbeddings: topicVectors,
      topicResolutions: matched.topics,
      storedTopics: stored.topics,
      tenantId: facts.tenantId,
      accountId: facts.accountId,
      source: { interactionId: facts.interactionId, userId: facts.userId, occurredAt: facts.occurredAt },
      sameItemSimilarity: this.options.thresholds.autoMerge,
      mintId: this.mintId,
    });
    const { itemMerges, topicMerges } = await meter.time("reembed", () => this.reembed(meter, plan));

    await meter.time("write", () => this.options.graph.write((tx) => this.writeEnvelope(tx, facts, plan, itemMerges, topicMerges)));

    const itemIds = [...plan.items.creates.map((c) => c.record.actionItemId), ...plan.items.merges.map((m) => m.base.actionItemId)];
    const topicIds = [...plan.topics.creates.map((c) => c.record.topicId), ...plan.topics.merges.map((m) => m.base.topicId)];
    const projection = await meter.time("project", () => this.project(facts, { items: itemIds, topics: topicIds }, log));
    const errors = plan.failures.map((f) => ({ index: f.index, stage: "match" as const, message: f.message }));
    for (const error of errors) log.warn({ item_index: error.index, err: error.message }, "action-item pipeline: item failed; the others continue");
    const done = result("processed", {
      items: plan.outcomes,
      created: plan.items.creates.map((c) => c.record.actionItemId),
      updated: plan.items.merges.filter((m) => m.changedFields.length > 0).map((m) => m.base.actionItemId),
      mentioned: plan.items.merges.filter((m) => m.changedFields.length === 0).map((m) => m.base.actionItemId),
      topics: {
        created: plan.topics.creates.map((c) => c.record.topicId),
        updated: plan.topics.merges.filter((m) => m.changedFields.length > 0).map((m) => m.base.topicId),
      },
      itemCount: itemIds.length,
      projection,
      warnings: [...warnings, ...projectionWarnings(projection)],
      errors,
    });
    log.info(
      { created: done.created.length, updated: done.updated.length, errors: errors.length, ms: done.timings.total, llm_rounds: done.llm.sequentialRounds },
      "action-item pipeline: envelope processed",
    );
    return done;
  }

  private async match(
    meter: Meter,
    facts: InteractionFacts,
    items: readonly ExtractedActionItem[],
    itemVectors: readonly number[][],
    labels: readonly string[],
    topicVectors: readonly number[][],
    warnings: string[],
  ): Promise<{ items: MatchResolution[]; topics: MatchResolution[] }> {
    const [foundItems, foundTopics] = await Promise.all([
      this.items.find(facts.tenantId, facts.accountId, items.map((item, i) => ({ key: normalizeKey(item.text), embedding: itemVectors[i] ?? [] }))),
      this.topics.find(facts.tenantId, facts.accountId, labels.map((label, i) => ({ key: normalizeKey(label), embedding: topicVectors[i] ?? [] }))),
    ]);
    const thresholds = this.options.thresholds;
    const [itemMatches, topicMatches] = await Promise.all([
      resolveMatches(this.options.llm, { kind: "action_item", texts: items.map((i) => i.text), found: foundItems, thresholds }),
      resolveMatches(this.options.llm, { kind: "topic", texts: labels.map((l) => topicQueryText(l, items)), found: foundTopics, thresholds }),
    ]);
    meter.round([itemMatches.call, topicMatches.call]);
    warnings.push(...itemMatches.warnings, ...topicMatches.warnings);
    return { items: itemMatches.resolutions, topics: topicMatches.resolutions };
  }

  /** Stored items (with their topics) and topics that resolutions point at; an unreadable one fails only its own items. */
  private async readStored(tenantId: string, itemResolutions: readonly MatchResolution[], topicResolutions: readonly MatchResolution[]) {
    const ids = (resolutions: readonly MatchResolution[]) => [...new Set(resolutions.flatMap((r) => (r.kind === "existing" ? [r.id] : [])))];
    const itemIds = ids(itemResolutions);
    const rows = await this.options.graph.read(async (tx) => ({
      items: await this.repository.readItems(tx, tenantId, itemIds),
      topics: await this.repository.readTopics(tx, tenantId, ids(topicResolutions)),
    }));
    const items = new Map<string, ActionItemRecord>();
    const topics = new Map<string, TopicRecord>();
    const failed = new Map<string, string>();
    const readTopic = (properties: Record<string, unknown> | null) => {
      if (properties === null) return;
      try {
        const topic = topicFromProperties(properties);
        topics.set(topic.topicId, topic);
      } catch {
        // A topic that cannot be read is left out; planItems fails the items that need it.
      }
    };
    for (const row of rows.items) {
      const id = String(row.item.action_item_id);
      try {
        items.set(id, itemFromProperties(row.item));
        readTopic(row.topic);
      } catch (error) {
        failed.set(id, error instanceof Error ? error.message : String(error));
      }
    }
    for (const topic of rows.topics) readTopic(topic);
    for (const id of itemIds) if (!items.has(id) && !failed.has(id)) failed.set(id, `matched action item ${id} no longer exists`);
    return { items, topics, failed };
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

  private async writeEnvelope(
    tx: ManagedTransaction,
    facts: InteractionFacts,
    plan: ItemPlan,
    itemMerges: readonly ItemMergeWrite[],
    topicMerges: readonly TopicMergeWrite[],
  ): Promise<void> {
    const owners = [...plan.items.creates.map((c) => c.record.ownerName), ...itemMerges.map((m) => m.record.ownerName)];
    await upsertInteraction(tx, facts);
    await this.repository.upsertOwners(tx, facts.tenantId, owners.filter((o): o is string => o !== null), this.mintId);
    await this.repository.createTopics(tx, facts, plan.topics.creates);
    await this.repository.mergeTopics(tx, facts, topicMerges);
    await this.repository.createItems(tx, facts, plan.items.creates);
    await this.repository.mergeItems(tx, facts, itemMerges);
    const outcome: AppliedOutcome = {
      created: plan.items.creates.map((c) => c.record.actionItemId),
      updated: itemMerges.filter((m) => m.changedFields.length > 0).map((m) => m.record.actionItemId),
      mentioned: itemMerges.filter((m) => m.changedFields.length === 0).map((m) => m.record.actionItemId),
      topics: { created: plan.topics.creates.map((c) => c.record.topicId), updated: topicMerges.filter((m) => m.changedFields.length > 0).map((m) => m.record.topicId) },
    };
    await stampInteraction(tx, facts, "action_items", plan.items.creates.length + plan.items.merges.length, outcome);
  }

  /** Graph first, projection second: the rows are computed from what the graph now holds. */
  /**
   * Projects what an interaction wrote to the action-item graph, read back from the graph: the
   * durable projection's retry after a failed projection. It writes the current state, so a
   * late retry never puts an older snapshot over a newer one.
   */
  async reproject(tenantId: string, interactionId: string): Promise<ProjectionOutcome<ItemProjectionCounts>> {
    const log = this.options.logger.child({ tenant_id: tenantId, interaction_id: interactionId });
    return this.project({ tenantId, interactionId }, null, log);
  }

  /** `ids` null: the items and topics the interaction is linked to in the graph. */
  private async project(
    facts: Pick<InteractionFacts, "tenantId" | "interactionId">,
    ids: { items: readonly string[]; topics: readonly string[] } | null,
    log: Logger,
  ): Promise<ProjectionOutcome<ItemProjectionCounts>> {
    return runProjection(log, async () => {
      const source = await this.options.graph.read(async (tx) => {
        const interaction = await this.repository.readInteraction(tx, facts.tenantId, facts.interactionId);
        const linked = ids ?? { items: interaction?.itemIds ?? [], topics: interaction?.topicIds ?? [] };
        return { interaction, ...(await this.repository.readForProjection(tx, facts.tenantId, linked)) };
      });
      return this.options.projection.project({
        tenantId: facts.tenantId,
        interaction: source.interaction?.properties ?? null,
        items: source.items,
        topics: source.topics,
      });
    });
  }
}

function distinctLabels(items: readonly ExtractedActionItem[]): string[] {
  const labels = new Map<string, string>();
  for (const item of items) if (!labels.has(normalizeKey(item.topic))) labels.set(normalizeKey(item.topic), item.topic);
  return [...labels.values()];
}

function emptyPlan(): ItemPlan {
  return { items: { creates: [], merges: [] }, topics: { creates: [], merges: [] }, outcomes: [], failures: [] };
}

function emptyCounts(): ItemProjectionCounts {
  return { owners: 0, topics: 0, topic_versions: 0, action_items: 0, action_item_versions: 0, interaction_links: 0, interactions: 0 };
}
