import type { Logger } from "@dealgraph/logging";
import { PIPELINES, envelopeJobId, type EnvelopeProducer, type Pipeline } from "@dealgraph/queues";
import { inboxStatus, type InboxRepository } from "@dealgraph/store";
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
      queues: Record<Pipeline, Queue>;
      logger: Logger;
      intervalMs: number;
      minAgeMs: number;
      batch?: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweepOnce().catch((error: unknown) => this.deps.logger.warn({ err: String(error) }, "sweep failed")), this.deps.intervalMs);
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
    const entries = await this.deps.inbox.unfinished(this.deps.minAgeMs, this.deps.batch ?? 500);
    let requeued = 0;
    for (const entry of entries) {
      const missing: Pipeline[] = [];
      for (const pipeline of PIPELINES) {
        if (inboxStatus(entry, pipeline) !== "queued") continue;
        const job = await this.deps.queues[pipeline].getJob(envelopeJobId(entry.tenant_id, entry.interaction_id));
        if (!job) missing.push(pipeline);
      }
      if (missing.length === 0) continue;
      await this.deps.producer.enqueue({ tenant_id: entry.tenant_id, interaction_id: entry.interaction_id }, missing);
      requeued += missing.length;
      this.deps.logger.info({ tenant_id: entry.tenant_id, interaction_id: entry.interaction_id, pipelines: missing }, "sweeper re-enqueued lost jobs");
    }
    return requeued;
  }
}
