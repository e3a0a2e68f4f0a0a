import {
  acceptedBatchSchema,
  acceptedSchema,
  apiErrorSchema,
  envelopeStatusSchema,
  createdWebhookEndpointSchema,
  tenantSchema,
  webhookDeliveryListSchema,
  webhookEndpointListSchema,
  type Accepted,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type EnvelopeStatus,
  type EnvelopeV1,
} from "@dealgraph/contracts";
import type { z } from "zod";
import { DealgraphApiError } from "./api-error";

export interface DealgraphClientOptions {
  /** The api's root, e.g. `https://dealgraph.example.com`. */
  baseUrl: string;
  /** A tenant's API key (`dg_…`): every call acts for that tenant. */
  apiKey: string;
  /** Per request; 30 s by default. */
  timeoutMs?: number;
  /** Another fetch (a proxy agent, a test double); the global one by default. */
  fetch?: typeof fetch;
}

/** States after which a pipeline does nothing more with an envelope. */
const FINAL = new Set(["completed", "dead_lettered", "skipped"]);

/**
 * The dealgraph api as a producer uses it. Answers are validated against the api's schemas, so
 * a caller works with checked types; a refusal is a `DealgraphApiError` carrying the api's code
 * and field issues.
 */
export class DealgraphClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: DealgraphClientOptions) {
    this.baseUrl = options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The tenant this client's key acts for. */
  async tenantId(): Promise<string> {
    return (await this.request("GET", "v1/tenant", tenantSchema)).tenant_id;
  }

  /** Posts one envelope (without `interaction_id`, the api mints one): 202 with its job ids, or a `DealgraphApiError` (400 naming the fields, 409 for a changed envelope under a used id). */
  postEnvelope(envelope: EnvelopeV1): Promise<Accepted> {
    return this.request("POST", "v1/envelopes", acceptedSchema, envelope);
  }

  /** Posts several envelopes at once: all are accepted, or (one invalid) none. */
  async postEnvelopes(envelopes: readonly EnvelopeV1[]): Promise<Accepted[]> {
    return (await this.request("POST", "v1/envelopes", acceptedBatchSchema, envelopes)).accepted;
  }

  /** Where an envelope is in each pipeline; null when this tenant has no such interaction. */
  async envelopeStatus(interactionId: string): Promise<EnvelopeStatus | null> {
    try {
      return await this.request("GET", `v1/envelopes/${encodeURIComponent(interactionId)}`, envelopeStatusSchema);
    } catch (error) {
      if (error instanceof DealgraphApiError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * Polls until every pipeline is done with the envelope (completed, dead-lettered or skipped).
   * Webhooks tell a producer the same without polling.
   */
  async waitForEnvelope(interactionId: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<EnvelopeStatus> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const status = await this.envelopeStatus(interactionId);
      if (status && Object.values(status.pipelines).every((pipeline) => FINAL.has(pipeline.state))) return status;
      if (Date.now() > deadline) {
        throw new DealgraphApiError({
          status: null,
          code: "TIMEOUT",
          message: `interaction ${interactionId} was not finished within ${options.timeoutMs ?? 120_000} ms`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
  }

  /**
   * Registers an endpoint for the tenant's events (`envelope.processed`, `envelope.dead_lettered`;
   * both when `events` is left out). The answer's `secret` is shown only now: keep it to verify
   * each delivery with `verifyWebhook`.
   */
  createWebhook(input: WebhookEndpointInput): Promise<WebhookEndpoint & { secret: string }> {
    return this.request("POST", "v1/webhooks", createdWebhookEndpointSchema, input);
  }

  async listWebhooks(): Promise<WebhookEndpoint[]> {
    return (await this.request("GET", "v1/webhooks", webhookEndpointListSchema)).endpoints;
  }

  /** Deletes an endpoint (its pending deliveries are cancelled); false when there is none such. */
  async deleteWebhook(endpointId: string): Promise<boolean> {
    try {
      await this.request("DELETE", `v1/webhooks/${encodeURIComponent(endpointId)}`, null);
      return true;
    } catch (error) {
      if (error instanceof DealgraphApiError && error.status === 404) return false;
      throw error;
    }
  }

  /** The latest deliveries, newest first (of one endpoint, or all). */
  async webhookDeliveries(options: { endpointId?: string; limit?: number } = {}): Promise<WebhookDelivery[]> {
    const query = new URLSearchParams();
    if (options.endpointId) query.set("endpoint_id", options.endpointId);
    if (options.limit !== undefined) query.set("limit", String(options.limit));
    const route = `v1/webhooks/deliveries${query.size > 0 ? `?${query}` : ""}`;
    return (await this.request("GET", route, webhookDeliveryListSchema)).deliveries;
  }

  /** One call: the key, JSON both ways, the answer checked against `schema`. */
  protected async request<S extends z.ZodType | null>(
    method: string,
    route: string,
    schema: S,
    body?: unknown,
  ): Promise<S extends z.ZodType ? z.infer<S> : undefined> {
    const url = new URL(route, this.baseUrl);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new DealgraphApiError({
        status: null,
        code: "UNREACHABLE",
        message: `the dealgraph api at ${this.baseUrl} did not answer (${(error as Error).message})`,
        cause: error,
      });
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? {} : JSON.parse(text);
    } catch {
      throw new DealgraphApiError({
        status: response.status,
        code: "MALFORMED_ANSWER",
        message: `${method} ${url.pathname} answered ${response.status} with a body that is not JSON`,
      });
    }
    if (!response.ok) throw refusal(response, json);
    if (schema === null) return undefined as S extends z.ZodType ? z.infer<S> : undefined;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => issue.path.join(".") || "(body)").slice(0, 5);
      throw new DealgraphApiError({
        status: response.status,
        code: "MALFORMED_ANSWER",
        message: `${method} ${url.pathname} answered in an unexpected shape (at ${where.join(", ")})`,
        body: json,
      });
    }
    return parsed.data as S extends z.ZodType ? z.infer<S> : undefined;
  }
}

function refusal(response: Response, json: unknown): DealgraphApiError {
  const parsed = apiErrorSchema.safeParse(json);
  const retryAfter = Number(response.headers.get("retry-after"));
  const { code, message, issues } = parsed.success
    ? parsed.data.error
    : { code: `HTTP_${response.status}`, message: `the api answered ${response.status}`, issues: [] };
  return new DealgraphApiError({
    status: response.status,
    code,
    message,
    issues,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    body: json,
  });
}
