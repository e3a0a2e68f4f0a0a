import type { AcceptedEnvelope } from "@dealgraph/contracts";
import type { InteractionFacts } from "@dealgraph/graph";
import type { Logger } from "@dealgraph/logging";
import type { z } from "zod";
import { tooShortWarning } from "./envelope-input";
import { PipelineMeter, type LlmUsage, type StageTimings } from "./pipeline-meter";
import type { PipelineName } from "./pipeline-module";
import type { PipelineWarning } from "./pipeline-warning";
import { projectionWarnings, runProjection, type ProjectionOutcome } from "./projection-outcome";
import type { InProjection } from "./projection-writer";

/** The stages the frame itself times; a pipeline's own stages come between route and write. */
export type FrameStage = "route" | "write" | "project";

/**
 * A pipeline's graph as the frame uses it. Each method is one transaction, opened and closed
 * inside the store: no transaction or driver type crosses this interface, so a pipeline's
 * `process()` runs as well against an in-memory store as against Neo4j.
 */
export interface EnvelopeGraphStore<State, Write, Linked, Written> {
  /** Stage 0, one read: whether this pipeline applied the interaction already, and what the stages need. */
  readState(facts: InteractionFacts, envelope: AcceptedEnvelope): Promise<State & { applied: boolean }>;
  /** What an applied interaction wrote: its linked records, how many, and the outcome its stamp kept (unvalidated). */
  readApplied(tenantId: string, interactionId: string): Promise<{ linked: Linked; count: number; outcome: unknown }>;
  /**
   * One write transaction: the interaction, the planned records (null: none) and the stamp that
   * marks it applied; answers what the projection writes of them, read back in the same
   * transaction, so that projecting a fresh write needs no read of its own.
   */
  write(facts: InteractionFacts, planned: Write | null, stamp: { count: number; outcome: unknown }): Promise<Written>;
}

/**
 * Projects an interaction's records into Postgres (one tenant-scoped transaction). `alongside`:
 * the caller's work in the projection's transaction, given the counts; a projector without such
 * a transaction (an in-memory one) leaves it undone, and the caller then does that work on its
 * own.
 */
export interface EnvelopeProjector<Linked, Written, Counts> {
  /** What the graph holds for the interaction, read first; `linked` null: the records the graph links to it (the projection retry path). */
  project(tenantId: string, interactionId: string, linked: Linked | null, alongside?: InProjection<Counts>): Promise<Counts>;
  /** What the store's write answered, as it is: the path of every fresh envelope. */
  projectWritten(tenantId: string, written: Written, alongside?: InProjection<Counts>): Promise<Counts>;
}

/** What a pipeline's stages hand back for the frame to write, stamp and project. */
export interface PlannedEnvelope<Write, Outcome, Details, Stage extends string> {
  write: Write;
  /** What the stamp keeps, so a replay reports the first run's outcome. */
  outcome: Outcome;
  /** Distinct records the interaction created, changed or mentioned (the Interaction's count). */
  count: number;
  /** The rest of the pipeline's result (one entry per extracted record, its route). */
  details: Details;
  warnings: PipelineWarning[];
  /** Per-record failures; the envelope's other records still completed. */
  errors: Array<{ index: number; stage: Stage; message: string }>;
}

export interface StageInput<State, Stage extends string> {
  envelope: AcceptedEnvelope;
  facts: InteractionFacts;
  state: State;
  meter: PipelineMeter<Stage | FrameStage>;
  log: Logger;
}

/** What a pipeline fills the frame with. */
export interface EnvelopeStages<State, Write, Outcome, Details, Stage extends string> {
  pipeline: PipelineName;
  /** What a too-short transcript yields none of ("deals"), for its warning. */
  extracts: string;
  outcomeSchema: z.ZodType<Outcome>;
  /** The result's parts when nothing was extracted (a replay, a too-short transcript). */
  nothing(envelope: AcceptedEnvelope): { outcome: Outcome; details: Details };
  /** The interaction's facts; throws a ValidationError for an envelope this pipeline cannot take. */
  facts(envelope: AcceptedEnvelope): InteractionFacts;
  /** After stage 0: refuses what the graph shows cannot go on (a target that does not exist). */
  check?(envelope: AcceptedEnvelope, state: State): void;
  /** Stages 1 to 3 (extract, match, plan); reads the graph through its store, never writes. */
  plan(input: StageInput<State, Stage>): Promise<PlannedEnvelope<Write, Outcome, Details, Stage>>;
}

/** One envelope's run, before a pipeline names its parts. */
export interface EnvelopeRun<Outcome, Details, Counts, Stage extends string> {
  pipeline: PipelineName;
  tenantId: string;
  interactionId: string;
  /** `already_applied`: a replay; nothing was extracted or written to the graph again. */
  status: "processed" | "skipped" | "already_applied";
  outcome: Outcome;
  details: Details;
  count: number;
  projection: ProjectionOutcome<Counts>;
  warnings: PipelineWarning[];
  errors: Array<{ index: number; stage: Stage; message: string }>;
  timings: StageTimings<Stage | FrameStage>;
  llm: LlmUsage;
}

/**
 * The frame every pipeline's envelope goes through (DESIGN §5, §6): stage 0 reads the graph
 * once; a replay re-projects and reports the first run's outcome without a model call; a
 * too-short transcript is stamped with nothing; otherwise the pipeline's stages plan the
 * change, the store writes and stamps it in one transaction, and the projection follows.
 * Graph first, projection second: a projection failure is reported in the run, never thrown.
 */
export class EnvelopeFrame<State, Write, Linked, Written, Outcome, Details, Counts, Stage extends string> {
  constructor(
    private readonly stages: EnvelopeStages<State, Write, Outcome, Details, Stage>,
    private readonly ports: { store: EnvelopeGraphStore<State, Write, Linked, Written>; projector: EnvelopeProjector<Linked, Written, Counts>; logger: Logger },
  ) {}

  /**
   * `alongside`: the caller's work in the projection's transaction, given the run as it stands
   * once the projection's rows are written (the worker records the run done there, so that the
   * projection and the inbox commit together).
   */
  async run(
    envelope: AcceptedEnvelope,
    alongside?: InProjection<EnvelopeRun<Outcome, Details, Counts, Stage>>,
  ): Promise<EnvelopeRun<Outcome, Details, Counts, Stage>> {
    const { stages } = this;
    const { store } = this.ports;
    const facts = stages.facts(envelope);
    const log = this.ports.logger.child({
      pipeline: stages.pipeline,
      tenant_id: facts.tenantId,
      interaction_id: facts.interactionId,
      account_id: envelope.account_id,
    });
    const meter = new PipelineMeter<Stage | FrameStage>();
    const nothing = stages.nothing(envelope);
    const run = (
      status: EnvelopeRun<Outcome, Details, Counts, Stage>["status"],
      parts: Omit<EnvelopeRun<Outcome, Details, Counts, Stage>, "pipeline" | "tenantId" | "interactionId" | "status" | "timings" | "llm">,
    ) => ({
      pipeline: stages.pipeline,
      tenantId: facts.tenantId,
      interactionId: facts.interactionId,
      status,
      ...parts,
      warnings: [...parts.warnings, ...projectionWarnings(parts.projection)],
      timings: meter.elapsed(),
      llm: meter.llm(),
    });
    // The run as it will be reported should the projection commit, for `alongside`.
    const projecting = (
      status: EnvelopeRun<Outcome, Details, Counts, Stage>["status"],
      parts: Omit<Parameters<typeof run>[1], "projection">,
    ): InProjection<Counts> | undefined =>
      alongside && ((trx, counts) => alongside(trx, run(status, { ...parts, projection: { status: "projected", counts } })));

    // Stage 0: a replay or a refused envelope ends here, before any model call.
    const state = await meter.time("route", () => store.readState(facts, envelope));
    stages.check?.(envelope, state);
    if (state.applied) {
      const applied = await store.readApplied(facts.tenantId, facts.interactionId);
      // The first run's outcome, as it was: a replay after a crash reports what the envelope did.
      const original = stages.outcomeSchema.safeParse(applied.outcome);
      const outcome = original.success ? original.data : nothing.outcome;
      const parts = { outcome, details: nothing.details, count: applied.count, warnings: [], errors: [] };
      const projection = await meter.time("project", () =>
        runProjection(log, () => this.ports.projector.project(facts.tenantId, facts.interactionId, applied.linked, projecting("already_applied", parts))),
      );
      log.info({ records: applied.count }, "envelope already applied; re-projected");
      return run("already_applied", { ...parts, projection });
    }

    const tooShort = tooShortWarning(envelope, stages.extracts);
    if (tooShort !== null) {
      const written = await meter.time("write", () => store.write(facts, null, { count: 0, outcome: nothing.outcome }));
      const parts = { outcome: nothing.outcome, details: nothing.details, count: 0, warnings: [tooShort], errors: [] };
      const projection = await meter.time("project", () => this.projectWritten(facts.tenantId, written, log, projecting("skipped", parts)));
      return run("skipped", { ...parts, projection });
    }

    const planned = await stages.plan({ envelope, facts, state, meter, log });
    const written = await meter.time("write", () => store.write(facts, planned.write, { count: planned.count, outcome: planned.outcome }));
    const projection = await meter.time("project", () => this.projectWritten(facts.tenantId, written, log, projecting("processed", planned)));
    for (const error of planned.errors) log.warn({ index: error.index, stage: error.stage, err: error.message }, "a record failed; the others continue");
    const done = run("processed", { ...planned, projection });
    log.info(
      { records: done.count, errors: done.errors.length, warnings: done.warnings.length, ms: done.timings.total, llm_rounds: done.llm.sequentialRounds },
      "envelope processed",
    );
    return done;
  }

  /**
   * Projects what an interaction wrote, read back from the graph: the durable projection's retry
   * after a failed projection. It writes the records' current state, so a late retry never puts
   * an older snapshot over a newer one.
   */
  async reproject(tenantId: string, interactionId: string): Promise<ProjectionOutcome<Counts>> {
    const log = this.ports.logger.child({ pipeline: this.stages.pipeline, tenant_id: tenantId, interaction_id: interactionId });
    return runProjection(log, () => this.ports.projector.project(tenantId, interactionId, null));
  }

  private projectWritten(tenantId: string, written: Written, log: Logger, alongside?: InProjection<Counts>): Promise<ProjectionOutcome<Counts>> {
    return runProjection(log, () => this.ports.projector.projectWritten(tenantId, written, alongside));
  }
}

/** What every pipeline's result reports; each adds its outcome under its own names. */
export type PipelineResult<Counts, Stage extends string> = Pick<
  EnvelopeRun<unknown, unknown, Counts, Stage>,
  "tenantId" | "interactionId" | "status" | "projection" | "warnings" | "errors" | "timings" | "llm"
>;

/** The parts of a run every pipeline's result carries as they are. */
export function runBasics<Counts, Stage extends string>(run: EnvelopeRun<unknown, unknown, Counts, Stage>): PipelineResult<Counts, Stage> {
  const { tenantId, interactionId, status, projection, warnings, errors, timings, llm } = run;
  return { tenantId, interactionId, status, projection, warnings, errors, timings, llm };
}

/** A pipeline result as the worker keeps it: the pipeline's counts and what every run reports. */
export function summarizeRun<Summary extends object>(
  result: Pick<EnvelopeRun<unknown, unknown, unknown, string>, "status" | "projection" | "warnings" | "errors" | "timings" | "llm">,
  counts: Summary,
) {
  return {
    summary: {
      status: result.status,
      ...counts,
      projection: result.projection.status,
      warnings: result.warnings.length,
      errors: result.errors,
      ms: Math.round(result.timings.total),
    },
    llm: result.llm,
    projectionFailed: result.projection.status === "failed",
  };
}
