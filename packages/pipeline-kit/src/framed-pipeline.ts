import { mintEntityId, type AcceptedEnvelope } from "@dealgraph/contracts";
import type { InteractionFacts } from "@dealgraph/graph";
import type { Logger } from "@dealgraph/logging";
import type { z } from "zod";
import {
  EnvelopeFrame,
  type EnvelopeGraphStore,
  type EnvelopeProjector,
  type EnvelopeRun,
  type EnvelopeStages,
  type PlannedEnvelope,
  type StageInput,
} from "./envelope-frame";
import type { PipelineName } from "./pipeline-module";
import type { ProjectionOutcome } from "./projection-outcome";
import type { InProjection } from "./projection-writer";

/**
 * A pipeline as a class: it names its stages and the frame runs them. Subclasses implement
 * `plan` (and `facts`, `check` where they refuse envelopes) and shape the frame's run into
 * their result in `result`.
 */
export abstract class FramedPipeline<State, Write, Linked, Written, Outcome, Details, Counts, Stage extends string, Result> implements EnvelopeStages<
  State,
  Write,
  Outcome,
  Details,
  Stage
> {
  readonly pipeline: PipelineName;
  readonly extracts: string;
  readonly outcomeSchema: z.ZodType<Outcome>;
  /** Mints record and version ids; UUIDv7 unless a test needs to control them. */
  protected readonly mintId: () => string;
  private readonly frame: EnvelopeFrame<State, Write, Linked, Written, Outcome, Details, Counts, Stage>;

  constructor(
    identity: { pipeline: PipelineName; extracts: string; outcomeSchema: z.ZodType<Outcome> },
    ports: {
      store: EnvelopeGraphStore<State, Write, Linked, Written>;
      projector: EnvelopeProjector<Linked, Written, Counts>;
      logger: Logger;
      mintId?: () => string;
    },
  ) {
    this.pipeline = identity.pipeline;
    this.extracts = identity.extracts;
    this.outcomeSchema = identity.outcomeSchema;
    this.mintId = ports.mintId ?? mintEntityId;
    this.frame = new EnvelopeFrame(this, ports);
  }

  abstract nothing(envelope: AcceptedEnvelope): { outcome: Outcome; details: Details };
  abstract facts(envelope: AcceptedEnvelope): InteractionFacts;
  abstract plan(input: StageInput<State, Stage>): Promise<PlannedEnvelope<Write, Outcome, Details, Stage>>;

  /** Projects what an interaction wrote, read back from the graph (the projection retry path). */
  reproject(tenantId: string, interactionId: string): Promise<ProjectionOutcome<Counts>> {
    return this.frame.reproject(tenantId, interactionId);
  }

  /** One envelope through the frame and this pipeline's stages; `alongside` as EnvelopeFrame.run takes it, given the result. */
  async process(envelope: AcceptedEnvelope, alongside?: InProjection<Result>): Promise<Result> {
    return this.result(await this.frame.run(envelope, alongside && ((trx, run) => alongside(trx, this.result(run, envelope)))), envelope);
  }

  /** The frame's run under this pipeline's names. */
  protected abstract result(run: EnvelopeRun<Outcome, Details, Counts, Stage>, envelope: AcceptedEnvelope): Result;
}
