import { newWebhookSecret, webhookEndpointInputSchema, type WebhookDelivery, type WebhookEndpoint } from "@dealgraph/contracts";
import { ValidationError, fieldIssuesFromZod } from "@dealgraph/errors";
import { withTenant, type Database } from "@dealgraph/store";
import type { Kysely, Selectable } from "kysely";
import { uuidv7 } from "uuidv7";
import type { WebhookEndpointsTable, WebhookDeliveriesTable } from "@dealgraph/store";
import { refusedHost } from "./network-guard";

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function endpointOf(row: Pick<Selectable<WebhookEndpointsTable>, "endpoint_id" | "url" | "events" | "description" | "created_at">): WebhookEndpoint {
  return { id: row.endpoint_id, url: row.url, events: row.events as WebhookEndpoint["events"], description: row.description, created_at: iso(row.created_at)! };
}

function deliveryOf(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.delivery_id,
    endpoint_id: row.endpoint_id,
    event_type: row.event_type,
    interaction_id: row.interaction_id,
    pipeline: row.pipeline,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: iso(row.created_at)!,
    delivered_at: iso(row.delivered_at),
  };
}

/** A tenant's webhook endpoints and the record of deliveries to them, always within that tenant. */
export class WebhookEndpoints {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { allowHttp: boolean; allowPrivateNetworks: boolean },
  ) {}

  /** Registers an endpoint; the answer carries its signing secret, which is never shown again. */
  async create(tenantId: string, input: unknown): Promise<WebhookEndpoint & { secret: string }> {
    const parsed = webhookEndpointInputSchema.safeParse(input);
    if (!parsed.success) {
      const issues = fieldIssuesFromZod(parsed.error);
      throw new ValidationError(`Invalid webhook endpoint: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
    }
    if (!this.options.allowHttp && new URL(parsed.data.url).protocol !== "https:") {
      throw new ValidationError("Invalid webhook endpoint: url: Must be https", [{ path: "url", message: "Must be https (WEBHOOK_ALLOW_HTTP is off)" }]);
    }
    const refused = this.options.allowPrivateNetworks ? null : refusedHost(new URL(parsed.data.url));
    if (refused) {
      const message = `Must be a public receiver: ${refused} (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`;
      throw new ValidationError(`Invalid webhook endpoint: url: ${message}`, [{ path: "url", message }]);
    }
    const secret = newWebhookSecret();
    const row = await withTenant(this.db, tenantId, (trx) =>
      trx
        .insertInto("webhook_endpoints")
        .values({
          tenant_id: tenantId,
          endpoint_id: uuidv7(),
          url: parsed.data.url,
          events: [...new Set(parsed.data.events)],
          description: parsed.data.description ?? null,
          secret,
        })
        .returning(["endpoint_id", "url", "events", "description", "created_at"])
        .executeTakeFirstOrThrow(),
    );
    return { ...endpointOf(row), secret };
  }

  async list(tenantId: string): Promise<WebhookEndpoint[]> {
    const rows = await withTenant(this.db, tenantId, (trx) =>
      trx
        .selectFrom("webhook_endpoints")
        .select(["endpoint_id", "url", "events", "description", "created_at"])
        .where("deleted_at", "is", null)
        .orderBy("created_at")
        .execute(),
    );
    return rows.map(endpointOf);
  }

  /** Stops deliveries to the endpoint (those still pending are cancelled); false when there is no such endpoint. */
  async delete(tenantId: string, endpointId: string): Promise<boolean> {
    const result = await withTenant(this.db, tenantId, (trx) =>
      trx
        .updateTable("webhook_endpoints")
        .set({ deleted_at: new Date() })
        .where("endpoint_id", "=", endpointId)
        .where("deleted_at", "is", null)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }

  /** The latest deliveries, newest first, of one endpoint or all. */
  async deliveries(tenantId: string, options: { endpointId?: string; limit?: number } = {}): Promise<WebhookDelivery[]> {
    const rows = await withTenant(this.db, tenantId, (trx) => {
      let query = trx.selectFrom("webhook_deliveries").selectAll();
      if (options.endpointId) query = query.where("endpoint_id", "=", options.endpointId);
      return query
        .orderBy("created_at", "desc")
        .limit(options.limit ?? 100)
        .execute();
    });
    return rows.map(deliveryOf);
  }
}
