import { dealRef, type AcceptedEnvelope } from "@dealgraph/contracts";
import { ValidationError } from "@dealgraph/errors";
import { guardDealSyntheses, type ExtractedDeal, type SynthesizedDeal } from "@dealgraph/extraction";
import type { InteractionFacts } from "@dealgraph/graph";
import { extractDeals, synthesizeDealsTask, type LlmCall, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import {
  candidateRecords,
  decideMatches,
  normalizeKey,
  readMatchedRecords,
  resolveMatches,
  textChangedMaterially,
  type MatchResolution,
  type ResolvedMatches,
  type MatchThresholds,
} from "@dealgraph/matching";
import { FramedPipeline, interactionFacts, interactionText, runBasics, warning, warningsOf } from "@dealgraph/pipeline-kit";
import type { EnvelopeRun, FrameStage, PipelineMeter, PipelineWarning, PlannedEnvelope, StageInput } from "@dealgraph/pipeline-kit";
import { z } from "zod";
import { synthesisRequest } from "../domain/deal-narrative";
import { planDeals, type DealOutcome, type DealPlan, type PlannedMerge } from "../domain/deal-plan";
import { batchesByDeal, mergeKey, outlookDealIds, outlookOfDecisions, possibleMerges, targetedOutlook, type MergeOutlook } from "../domain/possible-merges";
import { recordFromProperties, withNarrative, type DealRecord } from "../domain/deal-record";
import type { DealMergeWrite, DealProjectionSource, EnvelopeState } from "../graph/deal-graph-repository";
import type { ProjectionCounts } from "../projection/deal-projection-repository";
import type { DealGraphStore, DealIds, DealProjector, DealWrite } from "./deal-ports";
import type { DealPipelineResult, DealPipelineStage } from "./deal-pipeline-result";

/** What a run keeps on its Interaction node, so a replay can report it (validated when read back). */
const appliedOutcomeSchema = z.object({ created: z.array(z.string()), merged: z.array(z.string()) });
type AppliedOutcome = z.infer<typeof appliedOutcomeSchema>;

type DealState = Omit<EnvelopeState, "applied">;
type DealDetails = { route: DealPipelineResult["route"]; deals: DealOutcome[] };
type Meter = PipelineMeter<DealPipelineStage | FrameStage>;

export interface DealPipelineOptions {
  store: DealGraphStore;
  projector: DealProjector;
  llm: LlmProvider;
  thresholds: MatchThresholds;
  logger: Logger;
  /** Mints opportunity and version ids; UUIDv7 unless a test needs to control them. */
  mintId?: () => string;
}

const embeddingText = (deal: { name: string; summary: string }) => `${deal.name}: ${deal.summary}`;

/** Where the envelope's deals may go, the stored deals they may merge into (by id), and the call that settles it. */
interface Matching {
  outlook: MergeOutlook;
  stored: ReadonlyMap<string, Record<string, unknown>>;
  decide: () => Promise<ResolvedMatches>;
}

/** A targeted envelope asks nothing: every deal updates the one it names, read at stage 0. */
function targeted(deals: readonly ExtractedDeal[], target: NonNullable<DealState["target"]>): Matching {
  const resolutions = deals.map((): MatchResolution => ({ kind: "existing", id: target.opportunityId, reason: "targeted", score: null }));
  return {
    outlook: targetedOutlook(deals.length, target.opportunityId),
    stored: new Map([[target.opportunityId, target.properties]]),
    decide: () => Promise.resolve({ resolutions, call: null, warnings: [] }),
  };
}

/**
 * DESIGN §6, per envelope: route (stage 0), extract (1), match (2), merge and version (3),
 * stamp the interaction (4), then project into Postgres. The frame (pipeline-kit) runs stage 0,
 * the write, the stamp and the projection; this class fills in stages 1 to 3.
 *
 * The model is called in at most four sequential rounds whatever the number of deals (extract,
 * embed, decide the middle band while synthesising every merge it could lead to, re-embed
 * changed summaries), each one call for all deals (the synthesis: one call per variant of a
 * deal, concurrently). The graph is read twice, a statement each (stage 0; the candidates with
 * their stored records), and written in one statement that also reads back what the projection
 * writes.
 * Account and Interaction are upserted in that transaction rather than up front, so a failed
 * envelope leaves nothing half-written.
 */
export class DealPipeline extends FramedPipeline<
  DealState,
  DealWrite,
  DealIds,
  DealProjectionSource,
  AppliedOutcome,
  DealDetails,
  ProjectionCounts,
  DealPipelineStage,
  DealPipelineResult
> {
  constructor(private readonly options: DealPipelineOptions) {
    super({ pipeline: "deals", extracts: "deals", outcomeSchema: appliedOutcomeSchema }, options);
  }

  protected result(run: EnvelopeRun<AppliedOutcome, DealDetails, ProjectionCounts, DealPipelineStage>, envelope: AcceptedEnvelope): DealPipelineResult {
    return {
      pipeline: "deals",
      ...runBasics(run),
      accountId: envelope.account_id ?? "",
      route: run.details.route,
      deals: run.details.deals,
      created: run.outcome.created,
      merged: run.outcome.merged,
      dealCount: run.count,
    };
  }

  nothing(envelope: AcceptedEnvelope) {
    return {
      outcome: { created: [], merged: [] },
      details: { route: envelope.opportunity_id ? ("targeted" as const) : ("discovery" as const), deals: [] },
    };
  }

  facts(envelope: AcceptedEnvelope): InteractionFacts {
    if (envelope.account_id === undefined) {
      throw new ValidationError("the deal pipeline needs the envelope's account_id", [{ path: "account_id", message: "Required for the deal pipeline" }]);
    }
    return interactionFacts(envelope, envelope.account_id);
  }

  check(envelope: AcceptedEnvelope, state: DealState): void {
    const targetedId = envelope.opportunity_id;
    if (targetedId === undefined) return;
    if (state.target === null) {
      throw new ValidationError(`opportunity ${targetedId} does not exist for this tenant`, [
        { path: "opportunity_id", message: "No such opportunity for this tenant" },
      ]);
    }
    if (state.target.accountId !== envelope.account_id) {
      throw new ValidationError(`opportunity ${targetedId} belongs to another account than ${envelope.account_id ?? ""}`, [
        { path: "opportunity_id", message: "The opportunity belongs to another account" },
      ]);
    }
  }

  async plan({
    envelope,
    facts,
    state,
    meter,
  }: StageInput<DealState, DealPipelineStage>): Promise<PlannedEnvelope<DealWrite, AppliedOutcome, DealDetails, DealPipelineStage>> {
    const targetedId = envelope.opportunity_id ?? null;

    // Stage 1: extract.
    const extraction = await meter.time("extract", () =>
      extractDeals(this.options.llm, {
        ...interactionText(envelope),
        targeted: targetedId !== null,
        knownDeals: state.target ? [state.target.name] : state.knownDeals,
      }),
    );
    meter.round([extraction.call]);
    const warnings = warningsOf("extraction_corrected", "extract", extraction.warnings);
    const deals = extraction.value.deals;
    if (targetedId !== null && deals.length === 0)
      warnings.push(warning("target_unchanged", "extract", `the interaction said nothing that updates ${targetedId}`));

    // Stage 2: one embedding batch and one candidate search; the stored deals the envelope may merge into.
    const embeddings = await meter.time("embed", () => meter.embed(this.options.llm, deals.map(embeddingText)));
    const matching = state.target !== null ? targeted(deals, state.target) : await meter.time("match", () => this.discover(facts, deals, embeddings));
    const stored = readMatchedRecords(outlookDealIds(matching.outlook), matching.stored, recordFromProperties, "deal");

    // Stages 2 and 3 in one model round: the model decides the middle band while it writes the
    // narrative of every merge its answer could produce.
    const source = { interactionId: facts.interactionId, userId: facts.userId };
    const [matched, narratives] = await meter.time("match", () =>
      Promise.all([matching.decide(), this.synthesize(possibleMerges({ deals, outlook: matching.outlook, stored: stored.records, source }), facts, warnings)]),
    );
    meter.round([matched.call, ...narratives.calls]);
    warnings.push(...warningsOf("answer_corrected", "match", matched.warnings));

    // Stage 3: plan; re-embed what changed materially.
    const resolutions = matched.resolutions.map((r): MatchResolution =>
      r.kind === "existing" && stored.failed.has(r.id) ? { kind: "failed", message: stored.failed.get(r.id) ?? "" } : r,
    );
    const plan = planDeals({
      matches: { inputs: deals, resolutions, embeddings, sameSimilarity: this.options.thresholds.autoMerge },
      stored: stored.records,
      tenantId: facts.tenantId,
      accountId: facts.accountId,
      source,
      mintId: this.mintId,
      dealRef,
    });
    const merges = await meter.time("synthesize", () => this.completeMerges(meter, plan, narratives.byKey, facts, warnings));
    const created = plan.creates.map((c) => c.record.opportunityId);
    const merged = merges.map((m) => m.record.opportunityId);
    return {
      write: { creates: plan.creates, merges },
      outcome: { created, merged },
      count: plan.creates.length + plan.merges.length,
      details: { route: targetedId ? "targeted" : "discovery", deals: plan.outcomes },
      warnings,
      errors: plan.failures.map((f) => ({ index: f.index, stage: "match" as const, message: f.message })),
    };
  }

  /** The candidate search; the middle band's question is asked when `decide` is called. */
  private async discover(facts: InteractionFacts, deals: readonly ExtractedDeal[], embeddings: readonly number[][]): Promise<Matching> {
    const found =
      deals.length === 0
        ? []
        : await this.options.store.findCandidates(
            facts.tenantId,
            facts.accountId,
            deals.map((deal, index) => ({ key: normalizeKey(deal.name), embedding: embeddings[index] ?? [] })),
          );
    return {
      outlook: outlookOfDecisions(decideMatches(found, this.options.thresholds)),
      stored: candidateRecords(found),
      decide: () => resolveMatches(this.options.llm, { kind: "deal", texts: deals.map(embeddingText), found, thresholds: this.options.thresholds }),
    };
  }

  /** The narratives of `merges`, keyed by mergeKey: one concurrent call per batch, one round. */
  private async synthesize(
    merges: readonly PlannedMerge[],
    facts: InteractionFacts,
    warnings: PipelineWarning[],
  ): Promise<{ byKey: Map<string, SynthesizedDeal>; calls: LlmCall[] }> {
    const answered = await Promise.all(
      batchesByDeal(merges).map(async (batch) => {
        const requests = batch.map((merge) => synthesisRequest(merge, facts.occurredAt));
        const { value, call } = await this.options.llm.complete(synthesizeDealsTask, requests);
        const guarded = guardDealSyntheses(requests, value);
        warnings.push(...warningsOf("answer_corrected", "synthesize", guarded.warnings));
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
    meter: Meter,
    plan: DealPlan,
    prepared: ReadonlyMap<string, SynthesizedDeal>,
    facts: InteractionFacts,
    warnings: PipelineWarning[],
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
}
