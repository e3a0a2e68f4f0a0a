import type { Config } from "@dealgraph/config";
import { ENVELOPE_LIMITS, envelopeBatchV1Schema, envelopeV1Schema, isUuid } from "@dealgraph/contracts";
import { ValidationError, fieldIssuesFromZod, type FieldIssue } from "@dealgraph/errors";
import type { Logger } from "@dealgraph/logging";
import { conflictIssues, isConflicting, type EnvelopeIntake, type RedisClient } from "@dealgraph/queues";
import { hashApiKey, type ApiKeys } from "@dealgraph/store";
import type { WebhookEndpoints } from "@dealgraph/webhooks";
import { answerClientError, checkReadiness, routingRefusal } from "@dealgraph/worker-runtime";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import type { OpenAPIV3 } from "openapi-types";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { bodyShape } from "./body-shape";
import { openApiDocument } from "./openapi-document";
import { SpanKind, continueTrace } from "@dealgraph/telemetry";

export interface ApiDependencies {
  /** The api's version, as the OpenAPI document states it. */
  version: string;
  config: Pick<Config, "api" | "redis">;
  /** Holds the rate limits, so that every api process counts against the same ones. */
  redis: RedisClient;
  logger: Logger;
  apiKeys: ApiKeys;
  intake: EnvelopeIntake;
  /** The tenants' webhook endpoints and the record of deliveries to them. */
  webhooks: WebhookEndpoints;
  /** Dependency checks for /readyz. */
  checks: Record<string, () => Promise<unknown>>;
}

/** The one error shape every response uses: `{ error: { code, message, issues? } }`. */
function sendError(reply: FastifyReply, status: number, code: string, message: string, issues?: FieldIssue[]) {
  return reply.code(status).send({ error: { code, message, ...(issues ? { issues } : {}) } });
}

/** An array of envelopes, each with `extras` at its deepest, plus some slack: deeper is certainly invalid. */
const MAX_BODY_DEPTH = 40;

/** Fastify's own errors for what a caller sent, in our shape; anything else is ours (500). */
const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "The body must be JSON (Content-Type: application/json)" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "EMPTY_BODY", message: "The body is empty; send one EnvelopeV1 as JSON" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "INVALID_JSON", message: "The body is not valid JSON" },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "BODY_TOO_LARGE", message: "The body is larger than the limit" },
  UNSUPPORTED_CHARSET: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "The body must be UTF-8 (Content-Type: application/json; charset=utf-8)" },
  UNSUPPORTED_ENCODING: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Encoding is not supported; send the body uncompressed" },
  RATE_LIMITED: { status: 429, code: "RATE_LIMITED", message: "Too many requests; retry after the number of seconds in Retry-After" },
  BODY_TOO_DEEP: { status: 400, code: "VALIDATION_FAILED", message: `The body nests deeper than ${MAX_BODY_DEPTH} levels` },
  TOO_MANY_KEYS: { status: 400, code: "VALIDATION_FAILED", message: "An envelope holds more keys than extras may" },
};

class ClientError extends Error {
  constructor(
    readonly code: keyof typeof CLIENT_ERRORS,
    readonly issues?: FieldIssue[],
  ) {
    super(code);
  }
}

/** Keys an envelope holds outside `extras` (its fields and `content`'s), with room to spare. */
const ENVELOPE_OWN_KEYS = 16;

/** What the body's shape alone refuses, before it is parsed. */
function refuseByShape(body: string): ClientError | undefined {
  const { depth, heaviest } = bodyShape(body);
  if (depth > MAX_BODY_DEPTH) return new ClientError("BODY_TOO_DEEP");
  if (heaviest.keys > ENVELOPE_LIMITS.maxExtrasKeys + ENVELOPE_OWN_KEYS) {
    const path = heaviest.index === null ? "extras" : `${heaviest.index}.extras`;
    return new ClientError("TOO_MANY_KEYS", [
      { path, message: `Must hold at most ${ENVELOPE_LIMITS.maxExtrasKeys} keys (the envelope holds ${heaviest.keys})` },
    ]);
  }
  return undefined;
}

const SERVED = new WeakMap<object, Array<{ method: string; url: string }>>();

/** Every route an api made by `buildApi` serves, as Fastify registered it: what its description is checked against. */
export const servedRoutes = (app: object): ReadonlyArray<{ method: string; url: string }> => SERVED.get(app) ?? [];

/**
 * The api (DESIGN §2): authenticate the tenant's key, validate the envelope, store it in the
 * inbox, enqueue one job per pipeline atomically, answer 202; and report an envelope's state.
 * Nothing a caller sends produces a 500.
 */
export async function buildApi(deps: ApiDependencies) {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.config.api.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    // A caller trickling its body, or holding an idle socket open, does not hold the api.
    // Node 20 reads the request deadline only when its server is constructed (Fastify's own
    // `requestTimeout` is assigned afterwards and never fires), and checks it on an interval, 30 s
    // by default: a tenth of the timeout keeps the deadline close to what is configured.
    requestTimeout: deps.config.api.requestTimeoutMs,
    connectionTimeout: deps.config.api.requestTimeoutMs,
    http: {
      requestTimeout: deps.config.api.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.floor(deps.config.api.requestTimeoutMs / 10)),
    },
    keepAliveTimeout: 5_000,
    // Refusals before any handler runs, in the api's error shape.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = routingRefusal(error);
      void reply.code(status).send(body);
    },
  });
  const served: Array<{ method: string; url: string }> = [];
  SERVED.set(app, served);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) served.push({ method: method.toLowerCase(), url: route.url });
  });
  // Only JSON is an envelope: without this, Fastify would accept text/plain as a string.
  app.removeContentTypeParser("text/plain");
  // UTF-8 JSON only (a body declared latin1 would be misread), nothing absurdly deep or wide;
  // then Fastify's own parser, which also refuses prototype-poisoning keys.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers["content-type"] ?? "")?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) return done(new ClientError("UNSUPPORTED_CHARSET"), undefined);
    const refused = refuseByShape(body as string);
    if (refused) return done(refused, undefined);
    parseJson(request, body as string, done);
  });
  // A compressed body would reach the JSON parser as bytes; refuse it before reading it.
  app.addHook("onRequest", async (request) => {
    const encoding = request.headers["content-encoding"];
    if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding)) throw new ClientError("UNSUPPORTED_ENCODING");
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "dealgraph_api_requests_total",
    help: "Requests by route and status",
    labelNames: ["route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "dealgraph_api_request_seconds",
    help: "Request latency by route",
    labelNames: ["route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unknown";
    requests.inc({ route, status: String(reply.statusCode) });
    latency.observe({ route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known) return sendError(reply, known.status, known.code, known.message, error instanceof ClientError ? error.issues : undefined);
    if (error.statusCode !== undefined && error.statusCode < 500) return sendError(reply, error.statusCode, "BAD_REQUEST", error.message);
    request.log.error({ err: error.message }, "request failed");
    return sendError(reply, 500, "INTERNAL", "The request could not be completed; it is safe to retry");
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, "NOT_FOUND", "No such route"));

  // Limits live in Redis, so several api processes share them; if Redis is unreachable the
  // request goes on (the intake needs Redis anyway and answers for itself).
  await app.register(rateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${deps.config.redis.queuePrefix}:rate-limit:`,
    skipOnError: true,
    errorResponseBuilder: () => new ClientError("RATE_LIMITED"),
  });
  const { badKeysPerMinute, requestsPerKeyPerMinute } = deps.config.api.rateLimits;
  // Failed authentications count per client address (guessing keys), valid requests per key.
  const limitBadKeys = app.rateLimit({ max: badKeysPerMinute, timeWindow: 60_000, keyGenerator: (request) => `bad-key:${request.ip}` });
  // The plugin types its hook for a default-logger Fastify; ours carries the pino logger.
  const check = (limit: typeof limitBadKeys, request: FastifyRequest, reply: FastifyReply) =>
    (limit as unknown as (this: typeof app, request: FastifyRequest, reply: FastifyReply) => Promise<void>).call(app, request, reply);
  const limitKey = app.rateLimit({
    max: requestsPerKeyPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `key:${keyHashOf.get(request) ?? request.ip}`,
  });

  /**
   * The caller's tenant, from `Authorization: Bearer <key>`, checked when the request arrives:
   * a caller without a valid key gets its 401 (or 429, after many) before its body is read.
   */
  const tenantOf = new WeakMap<FastifyRequest, string>();
  const keyHashOf = new WeakMap<FastifyRequest, string>();
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const tenantId = match?.[1] ? await deps.apiKeys.tenantOf(match[1]) : null;
    if (tenantId === null) {
      await check(limitBadKeys, request, reply);
      reply.header("www-authenticate", 'Bearer realm="dealgraph"');
      return sendError(reply, 401, "UNAUTHENTICATED", "A valid API key is required (Authorization: Bearer <key>)");
    }
    keyHashOf.set(request, hashApiKey(match![1]!));
    await check(limitKey, request, reply);
    tenantOf.set(request, tenantId);
  };
  const tenant = (request: FastifyRequest) => tenantOf.get(request) as string;

  // One envelope, or an array of them (all or none: one bad envelope refuses the whole post).
  app.post("/v1/envelopes", { onRequest: authenticate }, (request, reply) =>
    continueTrace(
      request.headers,
      "POST /v1/envelopes",
      { tenant_id: tenant(request), "http.request.method": "POST" },
      () => acceptEnvelopes(request, reply),
      SpanKind.SERVER,
    ),
  );
  const acceptEnvelopes = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenantId = tenant(request);
    const many = Array.isArray(request.body);
    const parsed = many ? envelopeBatchV1Schema.safeParse(request.body) : envelopeV1Schema.safeParse(request.body);
    if (!parsed.success) {
      const issues = fieldIssuesFromZod(parsed.error);
      const what = many ? "envelopes" : "envelope";
      return sendError(reply, 400, "VALIDATION_FAILED", `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
    }
    const envelopes = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const foreign = envelopes.flatMap((envelope, i) =>
      envelope.tenant_id === tenantId ? [] : [{ path: many ? `${i}.tenant_id` : "tenant_id", message: "Must be the tenant of the API key" }],
    );
    if (foreign.length > 0) {
      return sendError(reply, 403, "FORBIDDEN", `${many ? "An" : "The"} envelope's tenant_id is not the tenant of this API key`, foreign);
    }
    const outcomes = await deps.intake.acceptAll(envelopes);
    const conflicts = outcomes.flatMap((outcome, i) => (isConflicting(outcome) ? conflictIssues(outcome, many ? `${i}.` : "") : []));
    if (conflicts.length === 0) return reply.code(202).send(many ? { accepted: outcomes } : outcomes[0]);
    // A correction under an id already taken is refused, the stored envelope kept: a new
    // interaction_id carries the corrected call. In an array, the others went in as usual and
    // each index says what became of it.
    const message = "An interaction_id was already accepted with other content; the stored envelope is kept (post a correction under a new interaction_id)";
    if (!many) return sendError(reply, 409, "CONFLICT", message, conflicts);
    return reply.code(409).send({
      error: { code: "CONFLICT", message, issues: conflicts },
      accepted: outcomes.map((outcome, index) =>
        isConflicting(outcome) ? { index, interaction_id: outcome.interaction_id, conflict: true } : { index, ...outcome },
      ),
    });
  };

  // Lets a producer (and the CLI) check which tenant a key acts for.
  app.get("/v1/tenant", { onRequest: authenticate }, async (request, reply) => reply.send({ tenant_id: tenant(request) }));

  app.get<{ Params: { interactionId: string } }>("/v1/envelopes/:interactionId", { onRequest: authenticate }, async (request, reply) => {
    const tenantId = tenant(request);
    const { interactionId } = request.params;
    const status = isUuid(interactionId) ? await deps.intake.status(tenantId, interactionId) : null;
    if (!status) return sendError(reply, 404, "NOT_FOUND", "No such interaction for this tenant");
    return reply.send(status);
  });

  // Webhooks: a tenant's endpoints, and the deliveries made to them. The secret is in the
  // answer to the POST only.
  app.post("/v1/webhooks", { onRequest: authenticate }, async (request, reply) => {
    try {
      return reply.code(201).send(await deps.webhooks.create(tenant(request), request.body));
    } catch (error) {
      if (error instanceof ValidationError) return sendError(reply, 400, "VALIDATION_FAILED", error.message, error.issues);
      throw error;
    }
  });
  app.get("/v1/webhooks", { onRequest: authenticate }, async (request, reply) => reply.send({ endpoints: await deps.webhooks.list(tenant(request)) }));
  app.get<{ Querystring: { endpoint_id?: string; limit?: string } }>("/v1/webhooks/deliveries", { onRequest: authenticate }, async (request, reply) => {
    const { endpoint_id: endpointId, limit } = request.query;
    if (endpointId !== undefined && !isUuid(endpointId))
      return sendError(reply, 400, "VALIDATION_FAILED", "endpoint_id: Must be a UUID", [{ path: "endpoint_id", message: "Must be a UUID" }]);
    const count = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(count) || count < 1 || count > 1000) {
      return sendError(reply, 400, "VALIDATION_FAILED", "limit: Must be a whole number from 1 to 1000", [
        { path: "limit", message: "Must be a whole number from 1 to 1000" },
      ]);
    }
    return reply.send({ deliveries: await deps.webhooks.deliveries(tenant(request), { ...(endpointId ? { endpointId } : {}), limit: count }) });
  });
  app.delete<{ Params: { endpointId: string } }>("/v1/webhooks/:endpointId", { onRequest: authenticate }, async (request, reply) => {
    const { endpointId } = request.params;
    const deleted = isUuid(endpointId) && (await deps.webhooks.delete(tenant(request), endpointId));
    if (!deleted) return sendError(reply, 404, "NOT_FOUND", "No such webhook endpoint for this tenant");
    return reply.code(204).send();
  });

  // The description of all of the above (API_ROUTES, checked against these routes by a test),
  // and Swagger UI over it at /docs.
  const document = openApiDocument(deps.version);
  // The plugin's types predate OpenAPI 3.1; it serves the document as given.
  await app.register(swagger, { mode: "static", specification: { document: document as unknown as OpenAPIV3.Document } });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", async (_request, reply) => reply.send(document));

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const { failing } = await checkReadiness(deps.checks);
    return reply.code(failing.length === 0 ? 200 : 503).send({ status: failing.length === 0 ? "ready" : "not ready", failing });
  });
  app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  return app;
}
