import type { PipelineName, WebhookEvent, WebhookEventType } from "@dealgraph/contracts";
import { withTenant, type Database } from "@dealgraph/store";
import type { Queue } from "bullmq";
import { sql, type Kysely } from "kysely";
import { deliveryId } from "./delivery-id";
import type { DeliveryJob } from "./webhook-dispatcher";

export interface PublishedEvent {
  type: WebhookEventType;
  tenantId: string;
  pipeline: PipelineName;
  interactionId: string;
  accountId: string | null;
  data: Pick<WebhookEvent["data"], "summary" | "error">;
}

/**
 * Turns an event into one delivery per endpoint of its tenant that subscribed to it: recorded in
 * Postgres (one statement, within the tenant, so no other tenant's endpoint can be chosen), then
 * queued. Publishing the same event again (a job retried after a crash) records nothing new and
 * queues only what is still undelivered, under the same job ids.
 */
export class WebhookPublisher {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly queue: Queue,
    private readonly jobOptions: { attempts: number; backoffMs: number },
  ) {}

  async publish(event: PublishedEvent): Promise<number> {
    // One tenant transaction: the endpoints it can see, their deliveries recorded, and those
    // still undelivered read back.
    const pending = await withTenant(this.db, event.tenantId, async (trx) => {
      const endpoints = await trx
        .selectFrom("webhook_endpoints")
        .select("endpoint_id")
        .where("deleted_at", "is", null)
        .where(sql<boolean>`${event.type} = any(events)`)
        .execute();
      if (endpoints.length === 0) return [];
      const rows = this.deliveryRows(
        event,
        endpoints.map((endpoint) => endpoint.endpoint_id),
      );
      await trx
        .insertInto("webhook_deliveries")
        .values(rows)
        .onConflict((oc) => oc.columns(["tenant_id", "delivery_id"]).doNothing())
        .execute();
      return trx
        .selectFrom("webhook_deliveries")
        .select("delivery_id")
        .where(
          "delivery_id",
          "in",
          rows.map((row) => row.delivery_id),
        )
        .where("status", "=", "pending")
        .execute();
    });
    if (pending.length === 0) return 0;
    const { attempts, backoffMs } = this.jobOptions;
    await this.queue.addBulk(
      pending.map(({ delivery_id }) => ({
        name: event.type,
        data: { tenant_id: event.tenantId, delivery_id } satisfies DeliveryJob,
        opts: {
          jobId: delivery_id,
          attempts,
          backoff: { type: "exponential", delay: backoffMs },
          removeOnComplete: { age: 86_400 },
          removeOnFail: { age: 86_400 },
        },
      })),
    );
    return pending.length;
  }

  /** Each endpoint's delivery of `event`: its derived id and the exact body that is signed and sent. */
  private deliveryRows(event: PublishedEvent, endpointIds: readonly string[]) {
    const createdAt = new Date().toISOString();
    return endpointIds.map((endpoint_id) => {
      const id = deliveryId(endpoint_id, event.type, event.pipeline, event.interactionId);
      const body: WebhookEvent = {
        id,
        type: event.type,
        created_at: createdAt,
        tenant_id: event.tenantId,
        data: { pipeline: event.pipeline, interaction_id: event.interactionId, account_id: event.accountId, ...event.data },
      };
      return {
        tenant_id: event.tenantId,
        delivery_id: id,
        endpoint_id,
        event_type: event.type,
        interaction_id: event.interactionId,
        pipeline: event.pipeline,
        payload: JSON.stringify(body),
      };
    });
  }
}
