import { mintInteractionId, type Accepted, type EnvelopeStatus, type EnvelopeV1, type PipelineName, type PipelineState } from "@dealgraph/contracts";
import { EnvelopeConflictError, type FieldIssue } from "@dealgraph/errors";
import { envelopeContentHash, envelopeDifferences, type InboxAcceptance, type InboxEntry, type InboxRepository, type InboxRow } from "@dealgraph/store";
import type { Queue } from "bullmq";
import type { EnvelopeProducer } from "./envelope-producer";
import { envelopeJobId } from "./queue-names";
import { traceCarrier } from "@dealgraph/telemetry";

/**
 * An envelope refused because its interaction_id was accepted before with other content; the
 * stored one is kept. `differences` are the fields that differ ("content.text", "timestamp").
 */
export interface Conflicting {
  interaction_id: string;
  conflict: { differences: string[] };
}

export type Acceptance = Accepted | Conflicting;

export const isConflicting = (acceptance: Acceptance): acceptance is Conflicting => "conflict" in acceptance;

/** The field issues of a conflict, under `prefix` ("3." for the fourth envelope of an array). */
export function conflictIssues(conflicting: Conflicting, prefix = ""): FieldIssue[] {
  return conflicting.conflict.differences.map((path) => ({
    path: `${prefix}${path}`,
    message: "Differs from the envelope already accepted under this interaction_id",
  }));
}

/** States after which a pipeline does nothing more with the envelope (unless an operator replays it). */
/** What the intake knows of a pipeline: its name, and when it has nothing to do with an envelope (a PipelineModule is one). */
export interface IntakeRoute {
  name: PipelineName;
  skipReason(envelope: EnvelopeV1): string | null;
}

export const FINAL_STATES: ReadonlySet<PipelineState["state"]> = new Set(["completed", "dead_lettered", "skipped"]);

/** Envelopes written together at most (one inbox statement per tenant, one Redis call); a larger post goes alone. */
const MAX_BATCH = 256;

/** One caller's envelopes: written together, answered together. */
interface Waiting {
  entries: InboxEntry[];
  resolve: (accepted: Acceptance[]) => void;
  reject: (error: unknown) => void;
}

/**
 * How an envelope enters the fleet, whoever sends it (the api, or an operator's `enqueue
 * --direct`): stored in the inbox first, then one job per pipeline added atomically; and how its
 * progress is read back. The caller has validated the envelopes and checked the tenant.
 */
export class EnvelopeIntake {
  private readonly waiting: Waiting[] = [];
  private readonly traceOf = new WeakMap<InboxEntry, Record<string, string>>();
  private readonly traceFields = (entry: InboxEntry) => {
    const trace = this.traceOf.get(entry);
    return trace ? { trace } : {};
  };
  /** Batches being written now. */
  private writing = 0;
  private scheduled = false;

  constructor(
    private readonly deps: {
      inbox: InboxRepository;
      producer: EnvelopeProducer;
      /** Every pipeline an envelope fans out to, in the order their jobs and states are listed. */
      pipelines: readonly IntakeRoute[];
      /** Each pipeline's queue, by name, for reading a job's state. */
      queues: Record<PipelineName, Queue>;
      /**
       * Batches written at once. Two let one batch's jobs go to Redis while the next batch's
       * rows go to Postgres (config API_INTAKE_WRITES_IN_FLIGHT says why two).
       */
      writesInFlight: number;
    },
  ) {}

  /** Accepts one envelope (see acceptAll); a conflicting repeat throws EnvelopeConflictError. */
  async accept(envelope: EnvelopeV1): Promise<Accepted> {
    const [acceptance] = await this.acceptAll([envelope]);
    if (acceptance && isConflicting(acceptance)) {
      const issues = conflictIssues(acceptance);
      throw new EnvelopeConflictError(
        `interaction ${acceptance.interaction_id} was already accepted with other content (${issues.map((i) => i.path).join(", ")}); the stored envelope is kept`,
        issues,
      );
    }
    return acceptance as Accepted;
  }

  /**
   * Accepts a caller's envelopes, all or none: they are stored in one inbox statement per tenant
   * and their jobs added in one atomic Redis call, answered in the order given. Concurrent
   * callers are batched: while one batch is being written, the calls that arrive wait and go
   * together in the next, so a lone call waits for nothing and a burst costs a few round trips
   * instead of a few per envelope. Up to `writesInFlight` batches are written at once; callers
   * have no order among themselves, and a caller's own envelopes always go in one batch. Each
   * caller still gets its own answer, or its own error.
   */
  acceptAll(envelopes: readonly EnvelopeV1[]): Promise<Acceptance[]> {
    // Captured here, in the caller's context: the batch that writes these entries may run in
    // another caller's.
    const carrier = traceCarrier();
    const entries = envelopes.map((envelope): InboxEntry => {
      const interactionId = envelope.interaction_id ?? mintInteractionId();
      const stored = { ...envelope, interaction_id: interactionId };
      return {
        tenantId: envelope.tenant_id,
        interactionId,
        accountId: envelope.account_id ?? null,
        occurredAt: envelope.timestamp,
        envelope: stored,
        contentHash: envelopeContentHash(stored),
        // The deal pipeline needs an account; without one it has nothing to do.
        runs: this.deps.pipelines.map((route) => ({ pipeline: route.name, skippedBecause: route.skipReason(envelope) })),
      };
    });
    if (entries.length === 0) return Promise.resolve([]);
    if (Object.keys(carrier).length > 0) for (const entry of entries) this.traceOf.set(entry, carrier);
    return new Promise<Acceptance[]>((resolve, reject) => {
      this.waiting.push({ entries, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.writing >= this.deps.writesInFlight) return;
    this.scheduled = true;
    // One turn of the event loop lets the calls that arrived together join the first batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing++;
    try {
      while (this.waiting.length > 0) await this.write(this.nextBatch());
    } finally {
      this.writing--;
    }
  }

  /** Whole callers, in arrival order, up to MAX_BATCH envelopes (always at least one caller). */
  private nextBatch(): Waiting[] {
    let envelopes = 0;
    let callers = 0;
    for (const waiting of this.waiting) {
      if (callers > 0 && envelopes + waiting.entries.length > MAX_BATCH) break;
      envelopes += waiting.entries.length;
      callers++;
    }
    return this.waiting.splice(0, callers);
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const entries = batch.flatMap((waiting) => waiting.entries);
      const byTenant = new Map<string, InboxEntry[]>();
      for (const entry of entries) byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
      const stored = new Map<InboxEntry, InboxAcceptance>();
      await Promise.all(
        [...byTenant].map(async ([tenantId, group]) => {
          const results = await this.deps.inbox.acceptMany(tenantId, group);
          group.forEach((entry, i) => stored.set(entry, results[i] as InboxAcceptance));
        }),
      );
      const rowOf = (entry: InboxEntry) => stored.get(entry) as InboxAcceptance;
      // A repeat re-adds the still-queued jobs under their fixed ids, which BullMQ ignores when
      // the jobs exist: nothing new is enqueued, and a job lost with Redis comes back.
      const outcomes = new Map(entries.map((entry) => [entry, outcomeOf(entry, rowOf(entry), this.names())] as const));
      await this.deps.producer.enqueueMany(
        entries
          .filter((entry) => !isConflicting(outcomes.get(entry)!))
          .map((entry) => {
            const { row } = rowOf(entry);
            return {
              job: { tenant_id: row.tenant_id, interaction_id: row.interaction_id, ...this.traceFields(entry) },
              pipelines: this.names().filter((pipeline) => row.runs[pipeline] === "queued"),
            };
          }),
      );
      for (const waiting of batch) waiting.resolve(waiting.entries.map((entry) => outcomes.get(entry)!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One envelope Postgres refuses must not fail the callers it happened to be batched with:
      // each goes again on its own and gets its own answer.
      for (const waiting of batch) await this.write([waiting]);
    }
  }

  /** The envelope's state in each pipeline, for its own tenant only; null when the tenant has no such envelope. */
  async status(tenantId: string, interactionId: string): Promise<EnvelopeStatus | null> {
    const row = await this.deps.inbox.get(tenantId, interactionId);
    if (!row) return null;
    const entries = await Promise.all(this.names().map(async (pipeline) => [pipeline, await this.pipelineState(row, pipeline)] as const));
    return {
      interaction_id: row.interaction_id,
      account_id: row.account_id,
      occurred_at: row.occurred_at.toISOString(),
      received_at: row.received_at.toISOString(),
      pipelines: Object.fromEntries(entries),
    };
  }

  /** The inbox knows the outcome; while the job is on its way, BullMQ knows where it is. */
  private names(): PipelineName[] {
    return this.deps.pipelines.map((route) => route.name);
  }

  private async pipelineState(row: InboxRow, pipeline: PipelineName): Promise<PipelineState> {
    const run = row.runs[pipeline];
    if (!run) return { state: "skipped", reason: "the pipeline was added after the envelope was accepted" };
    const { status, result } = run;
    if (status === "done") return { state: "completed", result };
    if (status === "skipped") return { state: "skipped", reason: typeof result?.reason === "string" ? result.reason : "nothing to do" };
    const job = await this.deps.queues[pipeline]?.getJob(envelopeJobId(row.tenant_id, row.interaction_id));
    const jobState = job ? await job.getState() : "unknown";
    const onItsWay = ["waiting", "active", "delayed", "prioritized", "waiting-children"].includes(jobState);
    // A dead envelope whose job is on its way again is being replayed by an operator.
    if (status === "dead" && !onItsWay) return { state: "dead_lettered", error: result };
    if (!job) return { state: "waiting", attempts: 0, note: "not in the queue right now; the sweeper re-enqueues it" };
    return {
      state: jobState === "active" ? "active" : jobState === "failed" ? "failed" : "waiting",
      attempts: job.attemptsMade,
      ...(job.failedReason ? { last_error: job.failedReason } : {}),
    };
  }
}

/**
 * The inbox hands the stored envelope back only when the content hashes differ, or the row
 * predates them: the fields that differ are named, and an old row whose fields all agree (the
 * hash aside) is a repeat.
 */
function outcomeOf(entry: InboxEntry, acceptance: InboxAcceptance, pipelines: readonly PipelineName[]): Acceptance {
  if (acceptance.stored !== undefined) {
    const differences = envelopeDifferences(acceptance.stored, entry.envelope);
    if (differences.length > 0) return { interaction_id: entry.interactionId, conflict: { differences } };
  }
  return accepted(acceptance, pipelines);
}

function accepted({ created, row }: InboxAcceptance, pipelines: readonly PipelineName[]): Accepted {
  const id = envelopeJobId(row.tenant_id, row.interaction_id);
  const jobs = Object.fromEntries(pipelines.map((pipeline) => [pipeline, (row.runs[pipeline] ?? "skipped") === "skipped" ? null : id]));
  return { interaction_id: row.interaction_id, duplicate: !created, jobs };
}
