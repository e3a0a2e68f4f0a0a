import type { Config } from "@dealgraph/config";
import { signWebhook } from "@dealgraph/contracts";
import type { Logger } from "@dealgraph/logging";
import { QUEUE_NAMES, closeQuietly, openQueue } from "@dealgraph/queues";
import { withTenant, type Database } from "@dealgraph/store";
import { Worker, type ConnectionOptions, type Job, type Queue } from "bullmq";
import { sql, type Kysely } from "kysely";
import { fetch, type Agent } from "undici";
import { z } from "zod";
import { deliveryAgent, refusedHost } from "./network-guard";

export const deliveryJobSchema = z.object({ tenant_id: z.uuid(), delivery_id: z.uuid() });
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/** What a receiver answered, kept short in the record (a receiver's error page is not ours to store whole). */
const MAX_ERROR_CHARS = 300;

class DeliveryFailed extends Error {}

/**
 * Makes the deliveries: reads the delivery and its endpoint within the tenant, POSTs the stored
 * body signed with the endpoint's secret, and records each attempt. Anything but a 2xx answer
 * (or no answer within WEBHOOK_TIMEOUT_MS) fails the job, which BullMQ retries with exponential
 * back-off; after the last attempt the delivery is marked dead and copied to the webhooks'
 * dead-letter queue. A delivery already made is never made again.
 */
export class WebhookDispatcher {
  readonly worker: Worker;
  readonly deadLetters: Queue;
  private readonly agent: Agent;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { config: Pick<Config, "webhooks" | "redis">; connection: ConnectionOptions; logger: Logger },
  ) {
    const { config, connection, logger } = options;
    const onError = (error: Error) => logger.warn({ err: error.message }, "redis connection error");
    this.agent = deliveryAgent(config.webhooks);
    this.deadLetters = openQueue(QUEUE_NAMES.webhooksDead, { connection, prefix: config.redis.queuePrefix, onError });
    this.worker = new Worker(QUEUE_NAMES.webhooks, (job) => this.deliver(job), {
      connection,
      prefix: config.redis.queuePrefix,
      concurrency: config.webhooks.concurrency,
      autorun: false,
    });
    this.worker.on("error", (error) => logger.error({ err: error.message }, "webhook worker error"));
    this.worker.on("failed", (job, error) => void this.afterFailure(job, error));
  }

  start(): void {
    void this.worker.run();
  }

  async close(): Promise<void> {
    await this.worker.close();
    await closeQuietly(this.deadLetters);
    await this.agent.close();
  }

  private async deliver(job: Job): Promise<{ status: number } | { skipped: string }> {
    const { tenant_id: tenantId, delivery_id: deliveryId } = deliveryJobSchema.parse(job.data);
    const delivery = await withTenant(this.db, tenantId, (trx) =>
      trx
        .selectFrom("webhook_deliveries as d")
        .innerJoin("webhook_endpoints as e", (join) => join.onRef("e.tenant_id", "=", "d.tenant_id").onRef("e.endpoint_id", "=", "d.endpoint_id"))
        .select(["d.status", "d.payload", "e.url", "e.secret", "e.deleted_at"])
        .where("d.delivery_id", "=", deliveryId)
        .executeTakeFirst(),
    );
    if (!delivery || delivery.status === "delivered" || delivery.status === "cancelled") return { skipped: delivery?.status ?? "gone" };
    if (delivery.deleted_at !== null) {
      await this.record(tenantId, deliveryId, { status: "cancelled", last_error: "the endpoint was deleted" });
      return { skipped: "endpoint deleted" };
    }
    const log = this.options.logger.child({ tenant_id: tenantId, delivery_id: deliveryId, attempt: job.attemptsMade + 1 });
    let status: number | null = null;
    let failure: string | null = null;
    try {
      // Registration checked the URL too; an endpoint stored before the check, or under a looser setting, is checked again here.
      const refused = this.options.config.webhooks.allowPrivateNetworks ? null : refusedHost(new URL(delivery.url));
      if (refused) throw new Error(`refused: ${refused} (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`);
      const response = await fetch(delivery.url, {
        dispatcher: this.agent,
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "dealgraph-webhooks", ...signWebhook(delivery.secret, deliveryId, delivery.payload) },
        body: delivery.payload,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.config.webhooks.timeoutMs),
      });
      status = response.status;
      if (!response.ok) failure = `HTTP ${status}: ${(await response.text().catch(() => "")).slice(0, MAX_ERROR_CHARS)}`;
      else await response.body?.cancel();
    } catch (error) {
      // fetch says only "fetch failed"; the reason (refused address, reset, timeout) is its cause.
      const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      failure = `no answer: ${reason}`.slice(0, MAX_ERROR_CHARS);
    }
    if (failure === null) {
      await this.record(tenantId, deliveryId, { status: "delivered", last_status_code: status, last_error: null, delivered_at: new Date() }, true);
      log.info({ status }, "webhook delivered");
      return { status: status! };
    }
    await this.record(tenantId, deliveryId, { last_status_code: status, last_error: failure }, true);
    log.warn({ status, err: failure }, "webhook delivery failed");
    throw new DeliveryFailed(failure);
  }

  private async afterFailure(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    try {
      const { tenant_id: tenantId, delivery_id: deliveryId } = deliveryJobSchema.parse(job.data);
      await this.record(tenantId, deliveryId, { status: "dead" });
      await this.deadLetters.add(
        "dead-letter",
        { ...job.data, error: error.message, attempts: job.attemptsMade, failed_at: new Date().toISOString() },
        { jobId: deliveryId },
      );
    } catch (failure) {
      this.options.logger.error({ err: (failure as Error).message, job_id: job.id }, "could not dead-letter a webhook delivery");
    }
  }

  /** Updates the delivery's record; `attempted`: a request was made (answered or not), which counts as an attempt. */
  private async record(
    tenantId: string,
    deliveryId: string,
    changes: { status?: "delivered" | "dead" | "cancelled"; last_status_code?: number | null; last_error?: string | null; delivered_at?: Date },
    attempted = false,
  ): Promise<void> {
    await withTenant(this.db, tenantId, (trx) =>
      trx
        .updateTable("webhook_deliveries")
        .set({ ...changes, updated_at: sql`now()`, ...(attempted ? { attempts: sql<number>`attempts + 1` } : {}) })
        .where("delivery_id", "=", deliveryId)
        .execute(),
    );
  }
}
