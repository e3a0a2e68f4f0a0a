import type { Logger } from "@dealgraph/logging";
import type { PipelineName } from "@dealgraph/contracts";
import { envelopeJobId, type EnvelopeProducer } from "@dealgraph/queues";
import type { InboxRepository } from "@dealgraph/store";
import type { Queue } from "bullmq";

/**
 * Re-enqueues inbox entries whose jobs are gone (DESIGN §2: Redis restarted without
 * persistence, or flushed). An entry still queued for a pipeline after `minAgeMs` whose job is
 * not in that pipeline's queue is enqueued again under the same job id; the workers' inbox
 * status check makes a double delivery harmless.
 */
export class InboxSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly deps: {
      inbox: InboxRepository;
      producer: EnvelopeProducer;
      queues: Record<PipelineName, Queue>;
      logger: Logger;
      intervalMs: number;
      minAgeMs: number;
      batch?: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(
      () => void this.sweepOnce().catch((error: unknown) => this.deps.logger.warn({ err: String(error) }, "sweep failed")),
      this.deps.intervalMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many jobs it re-enqueued. */
  async sweepOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(): Promise<number> {
    const runs = await this.deps.inbox.unfinished(this.deps.minAgeMs, this.deps.batch ?? 500);
    const byEnvelope = new Map<string, { tenant_id: string; interaction_id: string; pipelines: PipelineName[] }>();
    for (const run of runs) {
      // A run of a pipeline this fleet no longer has is left alone.
      if (!(run.pipeline in this.deps.queues)) continue;
      const key = envelopeJobId(run.tenant_id, run.interaction_id);
      const entry = byEnvelope.get(key) ?? { tenant_id: run.tenant_id, interaction_id: run.interaction_id, pipelines: [] };
      entry.pipelines.push(run.pipeline);
      byEnvelope.set(key, entry);
    }
    let requeued = 0;
    for (const [jobId, entry] of byEnvelope) {
      const missing: PipelineName[] = [];
      for (const pipeline of entry.pipelines) if (!(await this.deps.queues[pipeline]?.getJob(jobId))) missing.push(pipeline);
      if (missing.length === 0) continue;
      await this.deps.producer.enqueue({ tenant_id: entry.tenant_id, interaction_id: entry.interaction_id }, missing);
      requeued += missing.length;
      this.deps.logger.info({ tenant_id: entry.tenant_id, interaction_id: entry.interaction_id, pipelines: missing }, "sweeper re-enqueued lost jobs");
    }
    return requeued;
  }
}
