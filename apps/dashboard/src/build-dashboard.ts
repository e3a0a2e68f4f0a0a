import { createHash, timingSafeEqual } from "node:crypto";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Config } from "@dealgraph/config";
import type { Logger } from "@dealgraph/logging";
import { answerClientError, readinessAnswer, routingRefusal, throttleFailedLogins } from "@dealgraph/worker-runtime";
import basicAuth from "@fastify/basic-auth";
import type { RedisClient } from "@dealgraph/queues";
import type { Queue } from "bullmq";
import Fastify, { LogController, type FastifyReply } from "fastify";

export interface BoardQueue {
  queue: Queue;
  description: string;
}

export interface DashboardDependencies {
  config: Pick<Config, "dashboard" | "redis">;
  logger: Logger;
  /** Counts failed logins, so that several dashboard processes throttle together. */
  redis: RedisClient;
  queues: BoardQueue[];
  /** Dependency checks for /readyz. */
  checks: Record<string, () => Promise<unknown>>;
}

/** Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest());

const ERRORS: Record<number, { code: string; message: string }> = {
  401: { code: "UNAUTHENTICATED", message: "Operator credentials are required" },
  404: { code: "NOT_FOUND", message: "No such page" },
  405: { code: "READ_ONLY", message: "The dashboard is read-only" },
  429: { code: "RATE_LIMITED", message: "Too many failed logins; try again later" },
};
function errorBody(status: number) {
  const known =
    ERRORS[status] ??
    (status < 500
      ? { code: "BAD_REQUEST", message: "The request was refused" }
      : { code: "INTERNAL", message: "The dashboard could not complete the request" });
  return { error: known };
}

const UNAUTHENTICATED_PATHS = new Set(["/healthz", "/readyz"]);

/**
 * Bull Board over the given queues, every route behind HTTP basic authentication except the
 * health probes. Read-only mode is Bull Board's own, which the server enforces (a retry, clean
 * or removal answers 405), not just a hidden button.
 */
export async function buildDashboard(deps: DashboardDependencies) {
  const { user, password, readOnly } = deps.config.dashboard;
  if (password === null) {
    throw new Error("DASHBOARD_PASSWORD is not set: the dashboard never runs without authentication");
  }
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const { status, body } = routingRefusal(error);
      void reply.code(status).send(body);
    },
  });

  await app.register(basicAuth, {
    authenticate: { realm: "dealgraph operators" },
    async validate(givenUser, givenPassword) {
      // Both compared, always, so the time taken does not tell which one was wrong.
      const userOk = sameSecret(givenUser, user);
      const passwordOk = sameSecret(givenPassword, password);
      if (!userOk || !passwordOk) throw new Error("Unauthorized");
    },
  });
  const countFailedLogin = await throttleFailedLogins(app, {
    redis: deps.redis,
    nameSpace: `${deps.config.redis.queuePrefix}:dashboard-logins:`,
    max: deps.config.dashboard.failedLoginsPerMinute,
    message: "Too many failed logins",
  });
  app.addHook("onRequest", async (request, reply) => {
    if (UNAUTHENTICATED_PATHS.has(request.url)) return;
    const check = app.basicAuth as (req: typeof request, res: typeof reply, next: (err?: Error) => void) => void;
    const error = await new Promise<Error | undefined>((resolve) => check(request, reply, resolve));
    if (!error) return;
    // A browser's first request carries no credentials by design; only a wrong pair is news.
    if (request.headers.authorization) {
      deps.logger.warn({ ip: request.ip, url: request.url }, "dashboard: wrong credentials");
      await countFailedLogin(request, reply);
    }
    throw error;
  });

  // Every refusal in the api's error shape, and nothing of the server inside it: Bull Board adds
  // the stack trace to its errors when NODE_ENV is development, Fastify names its error codes.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error.message, url: request.url }, "dashboard request failed");
    return reply.code(status).send(errorBody(status));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(404)));
  app.addHook("onSend", async (_request, reply, payload) => {
    if (reply.statusCode < 400 || !String(reply.getHeader("content-type") ?? "").includes("json")) return payload;
    return JSON.stringify(errorBody(reply.statusCode));
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const { status, body } = await readinessAnswer(deps.checks);
    return reply.code(status).send(body);
  });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath("/");
  createBullBoard({
    queues: deps.queues.map(({ queue, description }) => new BullMQAdapter(queue, { readOnlyMode: readOnly, description, displayName: queue.name })),
    serverAdapter,
    options: { uiConfig: { boardTitle: readOnly ? "dealgraph (read-only)" : "dealgraph", hideDocsLink: true } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: "/" });
  return app;
}
