import type { Accepted, EnvelopeStatus } from "@dealgraph/queues";
import { DealgraphError, TransientError, NotFoundError } from "@dealgraph/errors";

/** What the api answered when it refused a request: its status and error body. */
export class ApiRefusal extends DealgraphError {
  readonly code = "API_REFUSED";
  readonly retryable: boolean;

  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string; issues?: Array<{ path: string; message: string }> } },
  ) {
    super(`api answered ${status}: ${body.error?.message ?? "no message"}`);
    this.retryable = status >= 500;
  }
}

/** The fleet's HTTP api, as a producer (or an operator with a tenant's key) uses it. */
export class ApiClient {
  constructor(private readonly baseUrl: string) {}

  private async request<T>(method: string, route: string, key: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(route, this.baseUrl), {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new TransientError(`the api at ${this.baseUrl} is not reachable (is it running? pnpm api)`, { cause: error });
    }
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as T & ConstructorParameters<typeof ApiRefusal>[1];
    if (!response.ok) throw new ApiRefusal(response.status, parsed);
    return parsed;
  }

  /** The tenant a key acts for. */
  async tenantOf(key: string): Promise<string> {
    return (await this.request<{ tenant_id: string }>("GET", "/v1/tenant", key)).tenant_id;
  }

  post(envelope: unknown, key: string): Promise<Accepted> {
    return this.request<Accepted>("POST", "/v1/envelopes", key, envelope);
  }

  async status(interactionId: string, key: string): Promise<EnvelopeStatus> {
    try {
      return await this.request<EnvelopeStatus>("GET", `/v1/envelopes/${encodeURIComponent(interactionId)}`, key);
    } catch (error) {
      if (error instanceof ApiRefusal && error.status === 404) throw new NotFoundError(`no interaction ${interactionId} for this key's tenant`);
      throw error;
    }
  }
}
