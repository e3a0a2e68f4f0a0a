import type { Config } from "@dealgraph/config";
import type { PipelineName } from "@dealgraph/contracts";
import type { ReprojectOutcome } from "@dealgraph/pipeline-kit";
import { TransientError } from "@dealgraph/errors";
import type { Logger } from "@dealgraph/logging";
import { CAPPED_BACKOFF, cappedBackoff, envelopeJobSchema, pipelineQueues } from "@dealgraph/queues";
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { WorkerMetrics } from "./worker-metrics";

export interface ProjectionWorkerOptions {
  pipeline: PipelineName;
  config: Pick<Config, "redis" | "projectionRetry" | "workers">;
  connection: ConnectionOptions;
  reproject(tenantId: string, interactionId: string): Promise<ReprojectOutcome>;
  logger: Logger;
  metrics: WorkerMetrics;
}

/**
 * The projection retry path (DESIGN §2): an interaction whose graph write stood but whose
 * Postgres projection failed is re-projected from the graph, with capped exponential backoff,
 * until it lands. Re-projection reads the current graph state and the upserts are idempotent
 * and version-guarded, so a retry that runs late or twice writes the same rows.
 */
export class ProjectionWorker {
  readonly worker: Worker;

  constructor(private readonly options: ProjectionWorkerOptions) {
    const { config, connection, pipeline } = options;
    this.worker = new Worker(pipelineQueues(pipeline).projection, (job) => this.run(job), {
      connection,
      prefix: config.redis.queuePrefix,
      concurrency: config.workers.concurrency,
      autorun: false,
      settings: {
        backoffStrategy: (attemptsMade, type) =>
          type === CAPPED_BACKOFF ? cappedBackoff(attemptsMade, config.projectionRetry.backoffMs, config.projectionRetry.maxBackoffMs) : 0,
      },
    });
    this.worker.on("error", (error) => options.logger.error({ err: error.message }, "projection worker error"));
    this.worker.on("failed", (job, error) => {
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      // Out of attempts: nothing is lost (the graph holds it), and the reconciler repairs the rows.
      options.logger.error(
        { job_id: job.id, err: error.message, attempts: job.attemptsMade },
        "projection retries exhausted; reconcile --repair will project it",
      );
      options.metrics.projection(pipeline, "exhausted");
    });
  }

  start(): void {
    void this.worker.run();
  }

  async close(): Promise<void> {
    await this.worker.close();
  }

  private async run(job: Job): Promise<{ projected: true }> {
    const parsed = envelopeJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`projection job ${job.id} carries no valid ids`);
    const { tenant_id: tenantId, interaction_id: interactionId } = parsed.data;
    const outcome = await this.options.reproject(tenantId, interactionId);
    if (!outcome.ok && !outcome.retryable) {
      // Bad data, not a passing fault: retrying cannot help; the job fails for good and the
      // reconciler reports the rows until the graph is put right.
      this.options.metrics.projection(this.options.pipeline, "exhausted");
      this.options.logger.error({ job_id: job.id, tenant_id: tenantId, interaction_id: interactionId, err: outcome.error }, "re-projection cannot succeed");
      throw new UnrecoverableError(`re-projection cannot succeed: ${outcome.error}`);
    }
    if (!outcome.ok) {
      this.options.metrics.projection(this.options.pipeline, "retried");
      this.options.logger.warn(
        { job_id: job.id, tenant_id: tenantId, interaction_id: interactionId, attempt: job.attemptsMade + 1, err: outcome.error },
        "re-projection failed; will retry",
      );
      throw new TransientError(`re-projection failed: ${outcome.error}`);
    }
    this.options.metrics.projection(this.options.pipeline, "projected");
    this.options.logger.info({ job_id: job.id, tenant_id: tenantId, interaction_id: interactionId, attempt: job.attemptsMade + 1 }, "re-projected");
    return { projected: true };
  }
}
