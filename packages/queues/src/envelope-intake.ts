import { mintInteractionId, type EnvelopeV1 } from "@dealgraph/contracts";
import { inboxResult, inboxStatus, type InboxEntry, type InboxRepository, type InboxRow } from "@dealgraph/store";
import type { Queue } from "bullmq";
import { PIPELINES, type Pipeline } from "./envelope-jobs";
import type { EnvelopeProducer } from "./envelope-producer";
import { envelopeJobId } from "./queue-names";

export interface Accepted {
  interaction_id: string;
  /** True when the envelope was already in the inbox: nothing new was enqueued. */
  duplicate: boolean;
  /** Each pipeline's job id; null for a pipeline with nothing to do (deals without an account). */
  jobs: Record<Pipeline, string | null>;
}

export type PipelineState =
  | { state: "waiting" | "active" | "failed"; attempts: number; last_error?: string; note?: string }
  | { state: "completed"; result: unknown }
  | { state: "dead_lettered"; error: unknown }
  | { state: "skipped"; reason: string };

export interface EnvelopeStatus {
  interaction_id: string;
  account_id: string | null;
  occurred_at: string;
  received_at: string;
  pipelines: Record<Pipeline, PipelineState>;
}

/** States after which a pipeline does nothing more with the envelope (unless an operator replays it). */
export const FINAL_STATES: ReadonlySet<PipelineState["state"]> = new Set(["completed", "dead_lettered", "skipped"]);

/** Posts accepted together at most: one inbox statement per tenant and one Redis call per batch. */
const MAX_BATCH = 256;

interface Waiting {
  entry: InboxEntry;
  resolve: (accepted: Accepted) => void;
  reject: (error: unknown) => void;
}

/**
 * How an envelope enters the fleet, whoever sends it (the api, or an operator's `enqueue
 * --direct`): stored in the inbox first, then one job per pipeline added atomically; and how its
 * progress is read back. The caller has validated the envelope and checked the tenant.
 */
export class EnvelopeIntake {
  private readonly waiting: Waiting[] = [];
  private draining = false;
  private scheduled = false;

  constructor(
    private readonly deps: {
      inbox: InboxRepository;
      producer: EnvelopeProducer;
      queues: Record<Pipeline, Queue>;
    },
  ) {}

  /**
   * Accepts one envelope. Concurrent calls are batched: while one batch is being written, the
   * posts that arrive wait and go together in the next (one inbox statement per tenant, one
   * atomic Redis call), so a lone post waits for nothing and a burst costs a few round trips
   * instead of a few per post. Each caller still gets its own answer, or its batch's error.
   */
  accept(envelope: EnvelopeV1): Promise<Accepted> {
    const interactionId = envelope.interaction_id ?? mintInteractionId();
    const entry: InboxEntry = {
      tenantId: envelope.tenant_id,
      interactionId,
      accountId: envelope.account_id ?? null,
      occurredAt: envelope.timestamp,
      envelope: { ...envelope, interaction_id: interactionId },
      // The deal pipeline needs an account; without one it has nothing to do.
      skip: envelope.account_id === undefined ? ["deals"] : [],
    };
    return new Promise<Accepted>((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.draining || this.scheduled) return;
    this.scheduled = true;
    // One turn of the event loop lets the posts that arrived together join the first batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) await this.write(this.waiting.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const byTenant = new Map<string, Waiting[]>();
      for (const waiting of batch) byTenant.set(waiting.entry.tenantId, [...(byTenant.get(waiting.entry.tenantId) ?? []), waiting]);
      const stored = new Map<Waiting, { created: boolean; row: InboxRow }>();
      await Promise.all(
        [...byTenant].map(async ([tenantId, group]) => {
          const results = await this.deps.inbox.acceptMany(tenantId, group.map((w) => w.entry));
          group.forEach((waiting, i) => stored.set(waiting, results[i] as { created: boolean; row: InboxRow }));
        }),
      );
      // A repeat re-adds the still-queued jobs under their fixed ids, which BullMQ ignores when
      // the jobs exist: nothing new is enqueued, and a job lost with Redis comes back.
      await this.deps.producer.enqueueMany(
        batch.map((waiting) => {
          const { row } = stored.get(waiting) as { row: InboxRow };
          return {
            job: { tenant_id: row.tenant_id, interaction_id: row.interaction_id },
            pipelines: PIPELINES.filter((pipeline) => inboxStatus(row, pipeline) === "queued"),
          };
        }),
      );
      for (const waiting of batch) {
        const { created, row } = stored.get(waiting) as { created: boolean; row: InboxRow };
        const id = envelopeJobId(row.tenant_id, row.interaction_id);
        const jobs = { action_items: null, deals: null } as Record<Pipeline, string | null>;
        for (const pipeline of PIPELINES) jobs[pipeline] = inboxStatus(row, pipeline) === "skipped" ? null : id;
        waiting.resolve({ interaction_id: row.interaction_id, duplicate: !created, jobs });
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One envelope Postgres refuses must not fail the posts it happened to be batched with:
      // each goes again on its own and gets its own answer.
      for (const waiting of batch) await this.write([waiting]);
    }
  }

  /** The envelope's state in each pipeline, for its own tenant only; null when the tenant has no such envelope. */
  async status(tenantId: string, interactionId: string): Promise<EnvelopeStatus | null> {
    const row = await this.deps.inbox.get(tenantId, interactionId);
    if (!row) return null;
    const entries = await Promise.all(PIPELINES.map(async (pipeline) => [pipeline, await this.pipelineState(row, pipeline)] as const));
    return {
      interaction_id: row.interaction_id,
      account_id: row.account_id,
      occurred_at: row.occurred_at.toISOString(),
      received_at: row.received_at.toISOString(),
      pipelines: Object.fromEntries(entries) as Record<Pipeline, PipelineState>,
    };
  }

  /** The inbox knows the outcome; while the job is on its way, BullMQ knows where it is. */
  private async pipelineState(row: InboxRow, pipeline: Pipeline): Promise<PipelineState> {
    const status = inboxStatus(row, pipeline);
    const result = inboxResult(row, pipeline);
    if (status === "done") return { state: "completed", result };
    if (status === "skipped") return { state: "skipped", reason: "the envelope has no account_id" };
    const job = await this.deps.queues[pipeline].getJob(envelopeJobId(row.tenant_id, row.interaction_id));
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
