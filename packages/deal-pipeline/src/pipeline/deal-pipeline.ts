import { dealRef, mintEntityId, type AcceptedEnvelope } from "@dealgraph/contracts";
import { ValidationError } from "@dealgraph/errors";
import { guardDealSyntheses, type ExtractedDeal, type SynthesizedDeal } from "@dealgraph/extraction";
import { recordedOutcome, stampInteraction, upsertInteraction, type GraphClient, type InteractionFacts } from "@dealgraph/graph";
import { extractDeals, synthesizeDealsTask, type LlmCall, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import {
  CandidateSearch,
  decideMatches,
  normalizeKey,
  resolveMatches,
  textChangedMaterially,
  type MatchResolution,
  type ResolvedMatches,
  type MatchThresholds,
} from "@dealgraph/matching";
import {
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
import { synthesisRequest } from "../domain/deal-narrative";
import { planDeals, type DealPlan, type PlannedMerge } from "../domain/deal-plan";
import { batchesByDeal, mergeKey, outlookDealIds, outlookOfDecisions, possibleMerges, targetedOutlook, type MergeOutlook } from "../domain/possible-merges";
import { recordFromProperties, withNarrative, type DealRecord } from "../domain/deal-record";
import { DealGraphRepository, type DealMergeWrite } from "../graph/deal-graph-repository";
import type { DealProjectionRepository, ProjectionCounts } from "../projection/deal-projection-repository";
import type { DealPipelineResult, DealPipelineStage } from "./deal-pipeline-result";

/** What a run keeps on its Interaction node, so a replay can report it (validated when read back). */
const appliedOutcomeSchema = z.object({ created: z.array(z.string()), merged: z.array(z.string()) });
type AppliedOutcome = z.infer<typeof appliedOutcomeSchema>;

export interface DealPipelineOptions {
  graph: GraphClient;
  llm: LlmProvider;
  projection: DealProjectionRepository;
  thresholds: MatchThresholds;
  logger: Logger;
  /** Mints opportunity and version ids; UUIDv7 unless a test needs to control them. */
  mintId?: () => string;
}

const embeddingText = (deal: { name: string; summary: string }) => `${deal.name}: ${deal.summary}`;

/** Where the envelope's deals may go, and the call that settles it. */
interface Matching {
  outlook: MergeOutlook;
  decide: () => Promise<ResolvedMatches>;
}

/** A targeted envelope asks nothing: every deal updates the one it names. */
function targeted(deals: readonly ExtractedDeal[], opportunityId: string): Matching {
  const resolutions = deals.map((): MatchResolution => ({ kind: "existing", id: opportunityId, reason: "targeted", score: null }));
  return { outlook: targetedOutlook(deals.length, opportunityId), decide: () => Promise.resolve({ resolutions, call: null, warnings: [] }) };
}

/**
 * DESIGN §6, per envelope: route (stage 0), extract (1), match (2), merge and version (3),
 * stamp the interaction (4), then project into Postgres.
 *
 * The model is called in at most four sequential rounds whatever the number of deals (extract,
 * embed, decide the middle band while synthesising every merge it could lead to, re-embed
 * changed summaries), each one call for all deals (the synthesis: one call per variant of a
 * deal, concurrently). The graph is read three times and written in one transaction of four
 * statements; the projection reads once more. Account and Interaction are upserted in that
 * transaction rather than up front, so a failed envelope leaves nothing half-written.
 */
export class DealPipeline {
  private readonly repository = new DealGraphRepository();
  private readonly search: CandidateSearch;
  private readonly mintId: () => string;

  constructor(private readonly options: DealPipelineOptions) {
    this.search = new CandidateSearch(options.graph, "deal");
    this.mintId = options.mintId ?? mintEntityId;
  }

  async process(envelope: AcceptedEnvelope): Promise<DealPipelineResult> {
    const accountId = envelope.account_id;
    if (accountId === undefined) {
      throw new ValidationError("the deal pipeline needs the envelope's account_id", [
        { path: "account_id", message: "Required for the deal pipeline" },
      ]);
    }
    const facts = interactionFacts(envelope, accountId);
    const targetedId = envelope.opportunity_id ?? null;
    const log = this.options.logger.child({ tenant_id: facts.tenantId, interaction_id: facts.interactionId, account_id: accountId });
    const meter = new PipelineMeter<DealPipelineStage>();
    const result = (status: DealPipelineResult["status"], rest: Partial<DealPipelineResult>): DealPipelineResult => ({
      pipeline: "deals",
      tenantId: facts.tenantId,
      interactionId: facts.interactionId,
      accountId,
      status,
      route: targetedId ? "targeted" : "discovery",
      deals: [],
      created: [],
      merged: [],
      dealCount: 0,
      projection: { status: "projected", counts: { opportunities: 0, deal_versions: 0, interaction_links: 0, interactions: 0 } },
      warnings: [],
      errors: [],
      ...rest,
      timings: meter.elapsed(),
      llm: meter.llm(),
    });

    // Stage 0: a replay or a bad target ends here, before any model call.
    const state = await meter.time("route", () =>
      this.options.graph.read((tx) => this.repository.readEnvelopeState(tx, facts, targetedId)),
    );
    if (targetedId !== null) {
      if (state.target === null) {
        throw new ValidationError(`opportunity ${targetedId} does not exist for this tenant`, [
          { path: "opportunity_id", message: "No such opportunity for this tenant" },
        ]);
      }
      if (state.target.accountId !== accountId) {
        throw new ValidationError(`opportunity ${targetedId} belongs to another account than ${accountId}`, [
          { path: "opportunity_id", message: "The opportunity belongs to another account" },
        ]);
      }
    }
    if (state.applied) {
      const applied = await this.options.graph.read((tx) => this.repository.readInteraction(tx, facts.tenantId, facts.interactionId));
      const dealIds = applied?.dealIds ?? [];
      const projection = await meter.time("project", () => this.project(facts, dealIds, log));
      // The first run's outcome, as it was: a replay after a crash reports what the envelope did.
      const original = appliedOutcomeSchema.safeParse(applied ? recordedOutcome(applied.properties, "deals") : null);
      log.info({ deals: dealIds.length }, "deal pipeline: envelope already applied; re-projected");
      return result("already_applied", { ...(original.success ? original.data : {}), dealCount: dealIds.length, projection, warnings: projectionWarnings(projection) });
    }

    const tooShort = tooShortWarning(envelope, "deals");
    if (tooShort !== null) {
      await meter.time("write", () => this.options.graph.write((tx) => this.writeEnvelope(tx, facts, [], [], 0)));
      const projection = await meter.time("project", () => this.project(facts, [], log));
      return result("skipped", { projection, warnings: [tooShort, ...projectionWarnings(projection)] });
    }

    // Stage 1: extract.
    const extraction = await meter.time("extract", () =>
      extractDeals(this.options.llm, {
        ...interactionText(envelope),
        targeted: targetedId !== null,
        knownDeals: state.target ? [state.target.name] : state.knownDeals,
      }),
    );
    meter.round([extraction.call]);
    const warnings = extraction.warnings.map((w) => `extract: ${w}`);
    const deals = extraction.value.deals;
    if (targetedId !== null && deals.length === 0) warnings.push(`targeted: the interaction said nothing that updates ${targetedId}`);

    // Stage 2: one embedding batch and one candidate search; the stored deals the envelope may merge into.
    const embeddings = await meter.time("embed", () => meter.embed(this.options.llm, deals.map(embeddingText)));
    const matching = targetedId !== null ? targeted(deals, targetedId) : await meter.time("match", () => this.discover(facts, deals, embeddings));
    const stored = await this.readStored(facts.tenantId, outlookDealIds(matching.outlook));

    // Stages 2 and 3 in one model round: the model decides the middle band while it writes the
    // narrative of every merge its answer could produce.
    const source = { interactionId: facts.interactionId, userId: facts.userId };
    const [matched, narratives] = await meter.time("match", () =>
      Promise.all([matching.decide(), this.synthesize(possibleMerges({ deals, outlook: matching.outlook, stored: stored.records, source }), facts, warnings)]),
    );
    meter.round([matched.call, ...narratives.calls]);
    warnings.push(...matched.warnings);

    // Stage 3: plan; re-embed what changed materially.
    const plan = planDeals({
      deals,
      embeddings,
      resolutions: matched.resolutions.map((r) => (r.kind === "existing" && stored.failed.has(r.id) ? { kind: "failed", message: stored.failed.get(r.id) ?? "" } : r)),
      stored: stored.records,
      tenantId: facts.tenantId,
      accountId,
      source,
      sameDealSimilarity: this.options.thresholds.autoMerge,
      mintId: this.mintId,
      dealRef,
    });
    const merges = await meter.time("synthesize", () => this.completeMerges(meter, plan, narratives.byKey, facts, warnings));

    // Stages 3 and 4 in the graph: one transaction.
    const dealCount = plan.creates.length + plan.merges.length;
    await meter.time("write", () => this.options.graph.write((tx) => this.writeEnvelope(tx, facts, plan.creates, merges, dealCount)));

    const touched = [...plan.creates.map((c) => c.record.opportunityId), ...merges.map((m) => m.record.opportunityId)];
    const projection = await meter.time("project", () => this.project(facts, touched, log));
    const errors = plan.failures.map((f) => ({ index: f.index, stage: "match" as const, message: f.message }));
    for (const error of errors) log.warn({ deal_index: error.index, err: error.message }, "deal pipeline: deal failed; the others continue");
    const done = result("processed", {
      deals: plan.outcomes,
      created: plan.creates.map((c) => c.record.opportunityId),
      merged: merges.map((m) => m.record.opportunityId),
      dealCount,
      projection,
      warnings: [...warnings, ...projectionWarnings(projection)],
      errors,
    });
    log.info(
      { created: done.created.length, merged: done.merged.length, errors: errors.length, ms: done.timings.total, llm_rounds: done.llm.sequentialRounds },
      "deal pipeline: envelope processed",
    );
    return done;
  }

  /** The candidate search; the middle band's question is asked when `decide` is called. */
  private async discover(facts: InteractionFacts, deals: readonly ExtractedDeal[], embeddings: readonly number[][]): Promise<Matching> {
    const found =
      deals.length === 0
        ? []
        : await this.search.find(
            facts.tenantId,
            facts.accountId,
            deals.map((deal, index) => ({ key: normalizeKey(deal.name), embedding: embeddings[index] ?? [] })),
          );
    return {
      outlook: outlookOfDecisions(decideMatches(found, this.options.thresholds)),
      decide: () => resolveMatches(this.options.llm, { kind: "deal", texts: deals.map(embeddingText), found, thresholds: this.options.thresholds }),
    };
  }

  /** Stored deals by id; one that cannot be read fails only the deals that merge into it. */
  private async readStored(tenantId: string, ids: readonly string[]): Promise<{ records: Map<string, DealRecord>; failed: Map<string, string> }> {
    const records = new Map<string, DealRecord>();
    const failed = new Map<string, string>();
    if (ids.length === 0) return { records, failed };
    const rows = await this.options.graph.read((tx) => this.repository.readDeals(tx, tenantId, ids));
    for (const row of rows) {
      const id = String(row.opportunity_id);
      try {
        records.set(id, recordFromProperties(row));
      } catch (error) {
        failed.set(id, error instanceof Error ? error.message : String(error));
      }
    }
    for (const id of ids) if (!records.has(id) && !failed.has(id)) failed.set(id, `matched deal ${id} no longer exists`);
    return { records, failed };
  }

  /** The narratives of `merges`, keyed by mergeKey: one concurrent call per batch, one round. */
  private async synthesize(
    merges: readonly PlannedMerge[],
    facts: InteractionFacts,
    warnings: string[],
  ): Promise<{ byKey: Map<string, SynthesizedDeal>; calls: LlmCall[] }> {
    const answered = await Promise.all(
      batchesByDeal(merges).map(async (batch) => {
        const requests = batch.map((merge) => synthesisRequest(merge, facts.occurredAt));
        const { value, call } = await this.options.llm.complete(synthesizeDealsTask, requests);
        const guarded = guardDealSyntheses(requests, value);
        warnings.push(...guarded.warnings.map((w) => `synthesize: ${w}`));
        return { call, entries: batch.map((merge, index) => [mergeKey(merge), guarded.value[index] as SynthesizedDeal] as const) };
      }),
    );
    return { byKey: new Map(answered.flatMap((a) => a.entries)), calls: answered.map((a) => a.call) };
  }

  /**
   * The plan's merges with their narratives, and a current embedding where the summary changed
   * materially. A merge the prepared narratives did not foresee (see possibleMerges) costs one
   * more round.
   */
  private async completeMerges(
    meter: PipelineMeter<DealPipelineStage>,
    plan: DealPlan,
    prepared: ReadonlyMap<string, SynthesizedDeal>,
    facts: InteractionFacts,
    warnings: string[],
  ): Promise<DealMergeWrite[]> {
    if (plan.merges.length === 0) return [];
    const unforeseen = plan.merges.filter((merge) => !prepared.has(mergeKey(merge)));
    const late = unforeseen.length > 0 ? await this.synthesize(unforeseen, facts, warnings) : null;
    if (late) meter.round(late.calls);
    const narrativeOf = (merge: PlannedMerge) => prepared.get(mergeKey(merge)) ?? late?.byKey.get(mergeKey(merge));
    const records = plan.merges.map((merge) => {
      const narrative = narrativeOf(merge);
      return narrative ? withNarrative(merge.next, { summary: narrative.summary, evolutionSummary: narrative.evolution_summary }) : merge.next;
    });
    const reembed = plan.merges.flatMap((merge, index) => {
      const record = records[index];
      return record && textChangedMaterially(merge.base.summary, record.summary) ? [index] : [];
    });
    const vectors = await meter.embed(
      this.options.llm,
      reembed.map((index) => embeddingText(records[index] as DealRecord)),
    );
    const current = new Map(reembed.map((mergeIndex, i) => [mergeIndex, vectors[i] ?? null]));
    return plan.merges.map((merge, index) => ({
      record: records[index] as DealRecord,
      baseVersion: merge.base.versionNumber,
      versionId: this.mintId(),
      changedFields: merge.changedFields,
      changeSummary: narrativeOf(merge)?.change_summary ?? "",
      embeddingCurrent: current.get(index) ?? null,
    }));
  }

  private async writeEnvelope(
    tx: ManagedTransaction,
    facts: InteractionFacts,
    creates: DealPlan["creates"],
    merges: readonly DealMergeWrite[],
    dealCount: number,
  ): Promise<void> {
    await upsertInteraction(tx, facts);
    await this.repository.createDeals(tx, facts, creates);
    await this.repository.mergeDeals(tx, facts, merges);
    const outcome: AppliedOutcome = { created: creates.map((c) => c.record.opportunityId), merged: merges.map((m) => m.record.opportunityId) };
    await stampInteraction(tx, facts, "deals", dealCount, outcome);
  }

  /**
   * Graph first, projection second: the rows are computed from what the graph now holds. A
   * failure here is reported in the result, never thrown: the graph write stands.
   */
  /**
   * Projects what an interaction wrote to the deal graph, read back from the graph: the durable
   * projection's retry after a failed projection. It writes the deals' current state, so a
   * late retry never puts an older snapshot over a newer one.
   */
  async reproject(tenantId: string, interactionId: string): Promise<ProjectionOutcome<ProjectionCounts>> {
    const log = this.options.logger.child({ tenant_id: tenantId, interaction_id: interactionId });
    return this.project({ tenantId, interactionId }, null, log);
  }

  /** `dealIds` null: the deals the interaction is linked to in the graph. */
  private async project(
    facts: Pick<InteractionFacts, "tenantId" | "interactionId">,
    dealIds: readonly string[] | null,
    log: Logger,
  ): Promise<ProjectionOutcome<ProjectionCounts>> {
    return runProjection(log, async () => {
      const source = await this.options.graph.read(async (tx) => {
        const interaction = await this.repository.readInteraction(tx, facts.tenantId, facts.interactionId);
        return { interaction, deals: await this.repository.readForProjection(tx, facts.tenantId, dealIds ?? interaction?.dealIds ?? []) };
      });
      return this.options.projection.project({ tenantId: facts.tenantId, interaction: source.interaction?.properties ?? null, deals: source.deals });
    });
  }
}
