import type { Config } from "@dealgraph/config";
import type { DealRoomRepository } from "@dealgraph/deal-room";
import {
  accountPage,
  accountsPage,
  dealPage,
  dealTimeline,
  interactionPage,
  loginPage,
  notFoundPage,
  signalsAsOf,
  stateAsOf,
  type Html,
} from "@dealgraph/deal-room";
import type { Logger } from "@dealgraph/logging";
import type { RedisClient } from "@dealgraph/queues";
import type { ApiKeys } from "@dealgraph/store";
import { answerClientError, readinessAnswer, routingRefusal, throttleFailedLogins } from "@dealgraph/worker-runtime";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";

export interface DealRoomDependencies {
  config: Pick<Config, "dealRoom" | "redis">;
  logger: Logger;
  /** Counts failed sign-ins, so that several deal-room processes throttle together. */
  redis: RedisClient;
  apiKeys: Pick<ApiKeys, "tenantOf">;
  repository: DealRoomRepository;
  checks: Record<string, () => Promise<unknown>>;
  /** The time pages are drawn at (charts run to it); the wall clock unless a test fixes it. */
  clock?: () => Date;
}

const SESSION_COOKIE = "dealgraph_key";
const PUBLIC_PATHS = new Set(["/healthz", "/readyz", "/login"]);

/** Scripts, frames, other origins: none. Styles are inline, charts are inline SVG. */
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const uuid = z.uuid();
const asOfSchema = z.iso.date({ error: "Must be a date (YYYY-MM-DD)" }).optional();

/**
 * The deal room (DESIGN §13): server-rendered, read-only pages of one tenant. A visitor signs in
 * with one of the tenant's API keys (checked like the api checks them; a revoked key stops
 * working at once), kept in an HttpOnly, SameSite=Strict cookie; scripts may send
 * `Authorization: Bearer` instead. Every read runs inside the tenant's transaction, so another
 * tenant's ids find nothing.
 */
export async function buildDealRoom(deps: DealRoomDependencies) {
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = routingRefusal(error);
      void reply.code(status).send(body);
    },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 4096 });
  const countFailedLogin = await throttleFailedLogins(app, {
    redis: deps.redis,
    nameSpace: `${deps.config.redis.queuePrefix}:deal-room-logins:`,
    max: deps.config.dealRoom.failedLoginsPerMinute,
    message: "Too many failed sign-ins",
  });

  const page = (reply: FastifyReply, status: number, body: Html) =>
    reply.code(status).headers(SECURITY_HEADERS).type("text/html; charset=utf-8").send(body.markup);
  const tenants = new WeakMap<FastifyRequest, string>();
  const tenant = (request: FastifyRequest) => tenants.get(request)!;
  const presentedKey = (request: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? request.cookies[SESSION_COOKIE];

  app.addHook("onRequest", async (request, reply) => {
    const url = request.url.split("?")[0]!;
    if (PUBLIC_PATHS.has(url)) return;
    const key = presentedKey(request);
    const tenantId = key ? await deps.apiKeys.tenantOf(key) : null;
    if (tenantId === null) {
      if (key) reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(303).headers(SECURITY_HEADERS).redirect("/login");
    }
    tenants.set(request, tenantId);
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error.message, url: request.url }, "deal room request failed");
    return page(
      reply,
      status,
      notFoundPage(tenants.get(request) ?? null, status === 429 ? "Too many failed sign-ins; try again in a minute." : "The page could not be shown."),
    );
  });
  app.setNotFoundHandler((request, reply) => page(reply, 404, notFoundPage(tenants.get(request) ?? null, "No such page.")));

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const { status, body } = await readinessAnswer(deps.checks);
    return reply.code(status).send(body);
  });

  app.get("/login", async (_request, reply) => page(reply, 200, loginPage(null)));
  app.post<{ Body: { api_key?: unknown } }>("/login", async (request, reply) => {
    const key = typeof request.body?.api_key === "string" ? request.body.api_key.trim() : "";
    const tenantId = key === "" ? null : await deps.apiKeys.tenantOf(key);
    if (tenantId === null) {
      deps.logger.warn({ ip: request.ip }, "deal room: a sign-in with an unknown key");
      await countFailedLogin(request, reply);
      return page(reply, 401, loginPage("That is not a valid API key."));
    }
    reply.setCookie(SESSION_COOKIE, key, { path: "/", httpOnly: true, sameSite: "strict", secure: deps.config.dealRoom.secureCookie, maxAge: 8 * 3600 });
    return reply.code(303).headers(SECURITY_HEADERS).redirect("/");
  });
  app.post("/logout", async (_request, reply) => reply.clearCookie(SESSION_COOKIE, { path: "/" }).code(303).redirect("/login"));

  app.get("/", async (request, reply) => page(reply, 200, accountsPage(tenant(request), await deps.repository.accounts(tenant(request)))));

  app.get<{ Params: { accountId: string }; Querystring: { items?: string } }>("/accounts/:accountId", async (request, reply) => {
    const found = await deps.repository.account(tenant(request), request.params.accountId, { allItems: request.query.items === "all" });
    if (!found) return page(reply, 404, notFoundPage(tenant(request), "This tenant has no such account."));
    return page(reply, 200, accountPage(tenant(request), request.params.accountId, { ...found, signals: signalsAsOf(found.signals, null) }));
  });

  app.get<{ Params: { opportunityId: string }; Querystring: { as_of?: string } }>("/deals/:opportunityId", async (request, reply) => {
    const asOf = asOfSchema.safeParse(request.query.as_of === "" ? undefined : request.query.as_of);
    if (!asOf.success) return page(reply, 400, notFoundPage(tenant(request), "as_of must be a date (YYYY-MM-DD)."));
    const id = uuid.safeParse(request.params.opportunityId);
    const found = id.success ? await deps.repository.deal(tenant(request), id.data) : null;
    if (!found) return page(reply, 404, notFoundPage(tenant(request), "This tenant has no such deal."));
    const timeline = dealTimeline(found.current, found.versions);
    // A date means all of that day.
    const at = asOf.data ? `${asOf.data}T23:59:59.999Z` : null;
    return page(
      reply,
      200,
      dealPage({
        tenantId: tenant(request),
        opportunityId: request.params.opportunityId,
        accountId: found.accountId,
        dealRef: found.dealRef,
        timeline,
        shown: at ? stateAsOf(timeline, at) : timeline[timeline.length - 1]!,
        asOf: asOf.data ?? null,
        signals: signalsAsOf(found.signals, at),
        interactions: found.interactions,
        now: at ?? clock().toISOString(),
      }),
    );
  });

  app.get<{ Params: { interactionId: string } }>("/interactions/:interactionId", async (request, reply) => {
    const id = uuid.safeParse(request.params.interactionId);
    const found = id.success ? await deps.repository.interaction(tenant(request), id.data) : null;
    if (!found) return page(reply, 404, notFoundPage(tenant(request), "This tenant has no such interaction."));
    return page(reply, 200, interactionPage(tenant(request), found));
  });
  return app;
}
