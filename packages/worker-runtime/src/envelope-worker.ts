import type { Config } from "@dealgraph/config";
import { parseEnvelope, type AcceptedEnvelope, type PipelineName } from "@dealgraph/contracts";
import { DealgraphError, isRetryable } from "@dealgraph/errors";
import type { Logger } from "@dealgraph/logging";
import type { InProjection, PipelineRun } from "@dealgraph/pipeline-kit";
import {
  closeQuietly,
  envelopeJobSchema,
  openQueue,
  pipelineQueues,
  projectionJobOptions,
  type DeadLetter,
  type EnvelopeJob,
  type RedisClient,
} from "@dealgraph/queues";
import { inboxStatus, isDatabaseUnavailable, type InboxRepository, type InboxRow } from "@dealgraph/store";
import { continueTrace } from "@dealgraph/telemetry";
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job, type Queue } from "bullmq";
import type { PendingDelivery, WebhookPublisher } from "@dealgraph/webhooks";
import { AccountLanes } from "./account-lane";
import type { WorkerMetrics } from "./worker-metrics";

export interface EnvelopeWorkerOptions {
  pipeline: PipelineName;
  config: Pick<Config, "workers" | "redis" | "projectionRetry">;
  connection: ConnectionOptions;
  /** For the account lanes. */
  redis: RedisClient;
  inbox: InboxRepository;
  /** Runs the pipeline; `alongside` as OpenedPipeline.process takes it. */
  process: (envelope: AcceptedEnvelope, alongside: InProjection<PipelineRun>) => Promise<PipelineRun>;
  logger: Logger;
  metrics: WorkerMetrics;
  /** Where `envelope.processed` and `envelope.dead_lettered` go (the tenant's webhooks); none: not published. */
  events?: Pick<WebhookPublisher, "publish" | "record" | "enqueue" | "requeuePending">;
  /**
   * What follows a run recorded done (the worker process queues a refresh of the account's risk
   * signals). A failure is logged, never fails the job: the scheduled sweep catches up.
   */
  afterDone?: (run: { tenantId: string; interactionId: string; accountId: string | null }) => Promise<void>;
}

/** How long a job that is not yet its account's turn waits before it looks again. */
const NOT_YET_MS = 250;
/** How long a job waits for an unreachable Postgres before it looks again (no attempt spent). */
const DATABASE_WAIT_MS = 2000;

/**
 * One pipeline's consumer. Per job it:
 * 1. reads the envelope from the inbox (the job carries only ids) and returns at once when the
 *    inbox says this pipeline is already done (a redelivered job);
 * 2. waits (moves itself back to delayed, which spends no attempt) while an earlier envelope of
 *    the same account is still queued for this pipeline, or while another worker holds the
 *    account's lane — so an account's envelopes apply one at a time in timestamp order while
 *    other accounts run in parallel;
 * 3. runs the pipeline and records the outcome in the inbox.
 * An error no retry can fix skips the remaining attempts; after the last attempt the job goes
 * to the pipeline's dead-letter queue with its payload, error, stack and attempts, and the inbox
 * marks it dead so that the account's later envelopes proceed.
 */
export class EnvelopeWorker {
  readonly worker: Worker;
  /** Its dead letters and projection retries, which the process also reports on /metrics. */
  readonly deadLetters: Queue;
  readonly projections: Queue;
  private readonly lanes: AccountLanes;

  constructor(private readonly options: EnvelopeWorkerOptions) {
    const { config, connection, pipeline } = options;
    this.lanes = new AccountLanes(options.redis, config.redis.queuePrefix, config.workers.stalledIntervalMs);
    const onError = (error: Error) => options.logger.warn({ err: error.message }, "redis connection error");
    this.deadLetters = openQueue(pipelineQueues(pipeline).deadLetter, { connection, prefix: config.redis.queuePrefix, onError });
    this.projections = openQueue(pipelineQueues(pipeline).projection, { connection, prefix: config.redis.queuePrefix, onError });
    this.worker = new Worker(pipelineQueues(pipeline).queue, (job, token) => this.run(job, token), {
      connection,
      prefix: config.redis.queuePrefix,
      concurrency: config.workers.concurrency,
      lockDuration: config.workers.stalledIntervalMs,
      stalledInterval: config.workers.stalledIntervalMs,
      maxStalledCount: 3,
      // A deferred job (ordering window, busy lane) waits in the delayed set; of several workers
      // blocked on the queue only the one that took its marker knows when it is due, and the
      // others block for drainDelay before looking again: 5 s by default, 1 s here.
      drainDelay: 1,
      autorun: false,
    });
    this.worker.on("error", (error) => options.logger.error({ err: error.message }, "worker error"));
  }

  start(): void {
    void this.worker.run();
  }

  /** Finishes the jobs in hand (or hands them back when `force`) and stops taking new ones. */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
    await Promise.all([closeQuietly(this.deadLetters), closeQuietly(this.projections)]);
  }

  /**
   * A Postgres that cannot be reached (down, restarting) is an outage to wait out, not a fault
   * of the job: the job moves back to delayed without spending an attempt and looks again.
   */
  private async run(job: Job, token: string | undefined): Promise<Record<string, unknown>> {
    try {
      return await this.attempt(job, token);
    } catch (error) {
      if (!(error instanceof DelayedError) && isDatabaseUnavailable(error)) {
        this.options.logger.warn({ job_id: job.id, err: error instanceof Error ? error.message : String(error) }, "postgres unavailable; the job waits");
        return this.notYet(job, token, "postgres is unavailable", DATABASE_WAIT_MS);
      }
      throw error;
    }
  }

  private async attempt(job: Job, token: string | undefined): Promise<Record<string, unknown>> {
    const { pipeline, inbox, logger } = this.options;
    const parsed = envelopeJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`job ${job.id} carries no valid envelope ids`);
    const { tenant_id: tenantId, interaction_id: interactionId } = parsed.data;
    const log = logger.child({ job_id: job.id, tenant_id: tenantId, interaction_id: interactionId });

    // Envelopes posted at about the same time can reach the inbox out of order: wait out the
    // ordering window so that an earlier one still on its way gets its turn first. The job was
    // added after its inbox row was stored, so its own timestamp tells without asking Postgres.
    const age = Date.now() - job.timestamp;
    if (age < this.options.config.workers.orderingWindowMs) {
      return this.notYet(job, token, "inside the ordering window", this.options.config.workers.orderingWindowMs - age);
    }
    const entry = await inbox.getForWork(tenantId, interactionId, pipeline);
    if (!entry) throw new UnrecoverableError(`interaction ${interactionId} is not in the inbox`);
    const { row, earlierQueued } = entry;
    const status = inboxStatus(row, pipeline);
    // "dead" with a job running means an operator retried the failed job (Bull Board's Retry):
    // a dead job is never redelivered on its own. Anything else finished is a redelivery, which
    // may follow a crash after the run was recorded done and before its webhooks were queued.
    if (status !== "queued" && status !== "dead") {
      if (status === "done") await this.options.events?.requeuePending(tenantId, interactionId, pipeline);
      return { status, redelivered: true };
    }

    // Each earlier envelope takes at least NOT_YET_MS: a job far down an account's backlog
    // checks back less often than the next one in line.
    if (earlierQueued > 0) return this.notYet(job, token, "an earlier envelope of the account is queued", NOT_YET_MS * earlierQueued);
    const lane = row.account_id === null ? null : await this.lanes.tryAcquire(pipeline, tenantId, row.account_id);
    if (row.account_id !== null && lane === null) return this.notYet(job, token, "the account's lane is busy");

    const started = performance.now();
    const attributes = {
      "dealgraph.pipeline": pipeline,
      tenant_id: tenantId,
      interaction_id: interactionId,
      job_id: String(job.id),
      attempt: job.attemptsMade + 1,
    };
    return continueTrace(parsed.data.trace, `${pipeline} process envelope`, attributes, () => this.work(job, parsed.data, row, status, lane, started, log));
  }

  /** The job's turn: run the pipeline, publish, record; a failure decides between a retry and the dead-letter queue. */
  private async work(
    job: Job,
    data: EnvelopeJob,
    row: InboxRow,
    status: ReturnType<typeof inboxStatus>,
    lane: { release(): Promise<void> } | null,
    started: number,
    log: Logger,
  ): Promise<Record<string, unknown>> {
    const { pipeline, inbox, metrics, events } = this.options;
    const { tenant_id: tenantId, interaction_id: interactionId } = data;
    let finished: { summary: Record<string, unknown>; pending: PendingDelivery[] };
    const processed = (summary: Record<string, unknown>) => ({
      type: "envelope.processed" as const,
      tenantId,
      pipeline,
      interactionId,
      accountId: row.account_id,
      data: { summary },
    });
    try {
      const envelope = { ...parseEnvelope(row.envelope), interaction_id: interactionId };
      // Done is recorded in the projection's transaction, so projection and inbox commit together.
      let recorded: PendingDelivery[] | undefined;
      const run = await this.options.process(envelope, async (trx, inProjection) => {
        const pending = events ? await events.record(trx, processed(inProjection.summary)) : [];
        await inbox.setStatusIn(trx, tenantId, interactionId, pipeline, "done", inProjection.summary);
        recorded = pending;
      });
      if (run.projectionFailed) {
        // Into Redis before anything else touches Postgres: the retry is recorded even when
        // Postgres is the thing that is down.
        await this.projections.add(
          "reproject",
          { tenant_id: tenantId, interaction_id: interactionId },
          projectionJobOptions(this.options.config, tenantId, interactionId),
        );
        metrics.projection(pipeline, "queued");
        log.warn("projection failed; queued for re-projection");
      }
      // A failed projection took what it recorded down with it; a projector that takes no work
      // of ours recorded nothing. Either way, done and its deliveries are recorded on their own.
      const pending =
        !run.projectionFailed && recorded !== undefined
          ? recorded
          : ((await inbox.setStatus(tenantId, interactionId, pipeline, "done", run.summary, events && ((trx) => events.record(trx, processed(run.summary))))) ??
            []);
      finished = { summary: run.summary, pending };
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      const final = !isRetryable(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      metrics.failed(pipeline, final);
      log.warn({ err: error instanceof Error ? error.message : String(error), final, attempt: job.attemptsMade + 1 }, "job failed");
      if (final) await this.deadLetter(job, { tenant_id: tenantId, interaction_id: interactionId }, error);
      if (!isRetryable(error)) throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      await lane?.release();
    }
    // Done and recorded; what is left is Redis's. Should it fail, the job's retry finds the run
    // done and queues the deliveries again, rather than running the pipeline or dead-lettering.
    await events?.enqueue(tenantId, finished.pending);
    if (status === "dead") await this.deadLetters.remove(String(job.id));
    await this.options.afterDone?.({ tenantId, interactionId, accountId: row.account_id }).catch((error: unknown) => {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, "what follows a done run failed; the scheduled sweep catches up");
    });
    metrics.completed(pipeline, (performance.now() - started) / 1000);
    log.info({ ms: Math.round(performance.now() - started) }, "job completed");
    return finished.summary;
  }

  private async notYet(job: Job, token: string | undefined, reason: string, waitMs = NOT_YET_MS): Promise<never> {
    this.options.metrics.deferred(this.options.pipeline);
    this.options.logger.debug({ job_id: job.id, reason }, "job deferred");
    await job.moveToDelayed(Date.now() + waitMs + Math.floor(Math.random() * NOT_YET_MS), token);
    throw new DelayedError();
  }

  private async deadLetter(job: Job, payload: DeadLetter["payload"], error: unknown): Promise<void> {
    const letter: DeadLetter = {
      pipeline: this.options.pipeline,
      job_id: String(job.id),
      payload,
      error: error instanceof Error ? error.message : String(error),
      code: error instanceof DealgraphError ? error.code : null,
      stack: error instanceof Error ? (error.stack ?? null) : null,
      attempts: job.attemptsMade + 1,
      failed_at: new Date().toISOString(),
    };
    // The letter's id is the job's: a dead letter written twice (a crash right after) is one
    // letter, and a retried job that dies again replaces its letter with the latest failure.
    await this.deadLetters.remove(letter.job_id);
    await this.deadLetters.add("dead-letter", letter, { jobId: String(job.id), removeOnComplete: false, removeOnFail: false });
    // The letter is kept whatever happens to the notice: an operator finds it in the queue.
    await this.options.events
      ?.publish({
        type: "envelope.dead_lettered",
        tenantId: payload.tenant_id,
        pipeline: this.options.pipeline,
        interactionId: payload.interaction_id,
        accountId: null,
        data: { error: { code: letter.code, message: letter.error } },
      })
      .catch((failure: unknown) => this.options.logger.error({ err: (failure as Error).message, job_id: job.id }, "could not publish envelope.dead_lettered"));
    await this.options.inbox.setStatus(payload.tenant_id, payload.interaction_id, this.options.pipeline, "dead", { error: letter.error, code: letter.code });
  }
}
