import type { Config } from "@dealgraph/config";
import { FlowProducer, type ConnectionOptions } from "bullmq";
import type { PipelineName } from "@dealgraph/contracts";
import { envelopeJobOptions, pipelineQueues, type EnvelopeJob } from "./envelope-jobs";
import { closeQuietly } from "./open-queue";

/**
 * Puts an envelope's jobs on the pipelines' queues. All jobs of one envelope are added in one
 * atomic call (FlowProducer.addBulk: all or none), and each job id is `tenant.interaction`, so a
 * repeated post or a sweeper re-enqueue of a job that still exists adds nothing.
 */
export class EnvelopeProducer {
  private readonly flows: FlowProducer;

  constructor(
    connection: ConnectionOptions,
    private readonly config: Pick<Config, "workers" | "redis">,
  ) {
    this.flows = new FlowProducer({ connection, prefix: config.redis.queuePrefix });
    // Connection errors surface on the calls that need Redis; unheard, the event would kill the process.
    this.flows.on("error", () => undefined);
  }

  /** Several envelopes' jobs in one atomic call (the api's batched posts). */
  async enqueueMany(items: ReadonlyArray<{ job: EnvelopeJob; pipelines: readonly PipelineName[] }>): Promise<void> {
    const nodes = items.flatMap(({ job, pipelines }) =>
      pipelines.map((pipeline) => ({
        name: pipeline,
        queueName: pipelineQueues(pipeline).queue,
        data: job,
        opts: envelopeJobOptions(this.config, job.tenant_id, job.interaction_id),
      })),
    );
    if (nodes.length > 0) await this.flows.addBulk(nodes);
  }

  async enqueue(job: EnvelopeJob, pipelines: readonly PipelineName[]): Promise<void> {
    await this.enqueueMany([{ job, pipelines }]);
  }

  async close(): Promise<void> {
    await closeQuietly(this.flows);
  }
}
