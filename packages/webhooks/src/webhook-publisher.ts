import type { EnvelopeEventType, PipelineName, RiskSignalEventData, RiskSignalEventType, WebhookEvent } from "@dealgraph/contracts";
import { withTenant, type Database } from "@dealgraph/store";
import type { Queue } from "bullmq";
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from "kysely";
import { deliveryId } from "./delivery-id";
import type { DeliveryJob } from "./webhook-dispatcher";

/** A recorded delivery not yet made: what queueing it needs. */
export interface PendingDelivery {
  delivery_id: string;
  event_type: string;
}

type PendingQuery = SelectQueryBuilder<Database, "webhook_deliveries", PendingDelivery>;

/** What happened to an envelope in one pipeline. */
export interface EnvelopeEvent {
  type: EnvelopeEventType;
  tenantId: string;
  pipeline: PipelineName;
  interactionId: string;
  accountId: string | null;
  data: { summary?: Record<string, unknown>; error?: { code: string | null; message: string } };
}

/** A change of a deal's risk signal; each version of a signal is one event. */
export interface RiskSignalEvent {
  type: RiskSignalEventType;
  tenantId: string;
  data: RiskSignalEventData;
}

export type PublishedEvent = EnvelopeEvent | RiskSignalEvent;

const isEnvelopeEvent = (event: PublishedEvent): event is EnvelopeEvent => event.type.startsWith("envelope.");

/**
 * Turns an event into one delivery per endpoint of its tenant that subscribed to it: recorded in
 * Postgres (within the tenant, so no other tenant's endpoint can be chosen), then queued.
 * Publishing the same event again (a job retried after a crash) records nothing new and queues
 * only what is still undelivered, under the same job ids.
 *
 * A worker records an envelope's event in the transaction that marks the envelope done
 * (`record`), and queues it once that has committed (`enqueue`); a crash in between leaves
 * deliveries recorded but not queued, which the envelope's redelivered job finds done and
 * queues (`requeuePending`).
 */
export class WebhookPublisher {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly queue: Queue,
    private readonly jobOptions: { attempts: number; backoffMs: number },
  ) {}

  /** Records and queues the event's deliveries in one tenant transaction of its own; answers how many were queued. */
  async publish(event: PublishedEvent): Promise<number> {
    const pending = await withTenant(this.db, event.tenantId, (trx) => this.record(trx, event));
    return this.enqueue(event.tenantId, pending);
  }

  /**
   * Records the event's deliveries in the caller's transaction, which must be scoped to the
   * event's tenant (`withTenant`); answers the ids of those still pending, for `enqueue` once it
   * has committed.
   */
  async record(trx: Transaction<Database>, event: PublishedEvent): Promise<PendingDelivery[]> {
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
      .select(["delivery_id", "event_type"])
      .where(
        "delivery_id",
        "in",
        rows.map((row) => row.delivery_id),
      )
      .where("status", "=", "pending")
      .execute();
  }

  /** Queues recorded deliveries (a delivery already queued is not queued twice: the job id is its id); answers how many. */
  async enqueue(tenantId: string, pending: readonly PendingDelivery[]): Promise<number> {
    if (pending.length === 0) return 0;
    const { attempts, backoffMs } = this.jobOptions;
    await this.queue.addBulk(
      pending.map(({ delivery_id, event_type }) => ({
        name: event_type,
        data: { tenant_id: tenantId, delivery_id } satisfies DeliveryJob,
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

  /** Queues the still-pending deliveries a pipeline's run of an interaction recorded (after a crash between record and enqueue). */
  async requeuePending(tenantId: string, interactionId: string, pipeline: PipelineName): Promise<number> {
    return this.requeueWhere(tenantId, (pending) => pending.where("interaction_id", "=", interactionId).where("pipeline", "=", pipeline));
  }

  /**
   * Queues the tenant's deliveries of these event types still pending after `olderThanMs` (a
   * publisher that recorded them and died before queueing them); answers how many. One already
   * queued is not queued twice.
   */
  async requeueStale(tenantId: string, eventTypes: readonly string[], olderThanMs: number): Promise<number> {
    return this.requeueWhere(tenantId, (pending) =>
      pending.where("event_type", "in", [...eventTypes]).where("created_at", "<", new Date(Date.now() - olderThanMs)),
    );
  }

  /** Queues the tenant's pending deliveries that `narrow` picks. */
  private async requeueWhere(tenantId: string, narrow: (pending: PendingQuery) => PendingQuery): Promise<number> {
    const pending = await withTenant(this.db, tenantId, (trx) =>
      narrow(trx.selectFrom("webhook_deliveries").select(["delivery_id", "event_type"]).where("status", "=", "pending")).execute(),
    );
    return this.enqueue(tenantId, pending);
  }

  /** Each endpoint's delivery of `event`: its derived id and the exact body that is signed and sent. */
  private deliveryRows(event: PublishedEvent, endpointIds: readonly string[]) {
    const createdAt = new Date().toISOString();
    return endpointIds.map((endpoint_id) => {
      if (isEnvelopeEvent(event)) {
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
      }
      // A signal's version makes its event: publishing the same change again delivers nothing new.
      const id = deliveryId(endpoint_id, event.type, "risk_signals", `${event.data.signal.id}@${event.data.signal.version}`);
      const body: WebhookEvent = { id, type: event.type, created_at: createdAt, tenant_id: event.tenantId, data: event.data };
      return {
        tenant_id: event.tenantId,
        delivery_id: id,
        endpoint_id,
        event_type: event.type,
        interaction_id: null,
        pipeline: null,
        payload: JSON.stringify(body),
      };
    });
  }
}
