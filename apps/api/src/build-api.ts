import type { Config } from "@dealgraph/config";
import { envelopeBatchV1Schema, envelopeV1Schema, isUuid } from "@dealgraph/contracts";
import { fieldIssuesFromZod, type FieldIssue } from "@dealgraph/errors";
import type { Logger } from "@dealgraph/logging";
import { conflictIssues, isConflicting, type EnvelopeIntake } from "@dealgraph/queues";
import { hashApiKey, type ApiKeys } from "@dealgraph/store";
import { checkReadiness } from "@dealgraph/worker-runtime";
import rateLimit from "@fastify/rate-limit";
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ApiDependencies {
  config: Pick<Config, "api" | "redis">;
  /** Holds the rate limits, so that every api process counts against the same ones. */
  redis: Redis;
  logger: Logger;
  apiKeys: ApiKeys;
  intake: EnvelopeIntake;
  /** Dependency checks for /readyz. */
  checks: Record<string, () => Promise<unknown>>;
}

/** The one error shape every response uses: `{ error: { code, message, issues? } }`. */
function sendError(reply: FastifyReply, status: number, code: string, message: string, issues?: FieldIssue[]) {
  return reply.code(status).send({ error: { code, message, ...(issues ? { issues } : {}) } });
}

/** The longest a request may take to arrive in full: a 2 MiB body needs well under this on any link a producer uses. */
const REQUEST_TIMEOUT_MS = 30_000;

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
};

class ClientError extends Error {
  constructor(readonly code: keyof typeof CLIENT_ERRORS) {
    super(code);
  }
}

/**
 * How deep a JSON text nests, read before it is parsed: an envelope nests a few levels plus
 * `extras`, so anything far deeper is refused without building it (or overflowing a stack on it).
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

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
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 5_000,
    // Node's own refusals (a malformed request line or header) in the api's error shape.
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      if (!socket.writable) return socket.destroy();
      const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
      const body = JSON.stringify({ error: { code: status === 408 ? "REQUEST_TIMEOUT" : "BAD_REQUEST", message: status === 431 ? "The request headers are too large" : status === 408 ? "The request took too long to arrive" : "The request is not valid HTTP" } });
      socket.end(`HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : status === 408 ? "Request Timeout" : "Bad Request"}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    },
  });
  // Only JSON is an envelope: without this, Fastify would accept text/plain as a string.
  app.removeContentTypeParser("text/plain");
  // UTF-8 JSON only (a body declared latin1 would be misread), nothing absurdly deep; then
  // Fastify's own parser, which also refuses prototype-poisoning keys.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers["content-type"] ?? "")?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) return done(new ClientError("UNSUPPORTED_CHARSET"), undefined);
    if (nestingDepth(body as string) > MAX_BODY_DEPTH) return done(new ClientError("BODY_TOO_DEEP"), undefined);
    parseJson(request, body as string, done);
  });
  // A compressed body would reach the JSON parser as bytes; refuse it before reading it.
  app.addHook("onRequest", async (request) => {
    const encoding = request.headers["content-encoding"];
    if (encoding !== undefined && !/^\s*identity\s*$/i.test(encoding)) throw new ClientError("UNSUPPORTED_ENCODING");
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: "dealgraph_api_requests_total", help: "Requests by route and status", labelNames: ["route", "status"] as const, registers: [registry] });
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
    if (known) return sendError(reply, known.status, known.code, known.message);
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
  const limitKey = app.rateLimit({ max: requestsPerKeyPerMinute, timeWindow: 60_000, keyGenerator: (request) => `key:${keyHashOf.get(request) ?? request.ip}` });

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
  app.post("/v1/envelopes", { onRequest: authenticate }, async (request, reply) => {
    const tenantId = tenant(request);
    const many = Array.isArray(request.body);
    const parsed = many ? envelopeBatchV1Schema.safeParse(request.body) : envelopeV1Schema.safeParse(request.body);
    if (!parsed.success) {
      const issues = fieldIssuesFromZod(parsed.error);
      const what = many ? "envelopes" : "envelope";
      return sendError(reply, 400, "VALIDATION_FAILED", `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
    }
    const envelopes = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const foreign = envelopes.flatMap((envelope, i) => (envelope.tenant_id === tenantId ? [] : [{ path: many ? `${i}.tenant_id` : "tenant_id", message: "Must be the tenant of the API key" }]));
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
      accepted: outcomes.map((outcome, index) => (isConflicting(outcome) ? { index, interaction_id: outcome.interaction_id, conflict: true } : { index, ...outcome })),
    });
  });

  // Lets a producer (and the CLI) check which tenant a key acts for.
  app.get("/v1/tenant", { onRequest: authenticate }, async (request, reply) => reply.send({ tenant_id: tenant(request) }));

  app.get<{ Params: { interactionId: string } }>("/v1/envelopes/:interactionId", { onRequest: authenticate }, async (request, reply) => {
    const tenantId = tenant(request);
    const { interactionId } = request.params;
    const status = isUuid(interactionId) ? await deps.intake.status(tenantId, interactionId) : null;
    if (!status) return sendError(reply, 404, "NOT_FOUND", "No such interaction for this tenant");
    return reply.send(status);
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const { failing } = await checkReadiness(deps.checks);
    return reply.code(failing.length === 0 ? 200 : 503).send({ status: failing.length === 0 ? "ready" : "not ready", failing });
  });
  app.get("/metrics", async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  return app;
}
