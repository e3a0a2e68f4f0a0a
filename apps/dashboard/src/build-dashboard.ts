import { createHash, timingSafeEqual } from "node:crypto";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { Config } from "@dealgraph/config";
import type { Logger } from "@dealgraph/logging";
import { checkReadiness } from "@dealgraph/worker-runtime";
import basicAuth from "@fastify/basic-auth";
import type { Queue } from "bullmq";
import Fastify, { LogController } from "fastify";

export interface BoardQueue {
  queue: Queue;
  description: string;
}

export interface DashboardDependencies {
  config: Pick<Config, "dashboard">;
  logger: Logger;
  queues: BoardQueue[];
  /** Dependency checks for /readyz. */
  checks: Record<string, () => Promise<unknown>>;
}

/** Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest());

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
  const app = Fastify({ loggerInstance: deps.logger, logController: new LogController({ disableRequestLogging: true }) });

  await app.register(basicAuth, {
    authenticate: { realm: "dealgraph operators" },
    async validate(givenUser, givenPassword) {
      // Both compared, always, so the time taken does not tell which one was wrong.
      const userOk = sameSecret(givenUser, user);
      const passwordOk = sameSecret(givenPassword, password);
      if (!userOk || !passwordOk) throw new Error("Unauthorized");
    },
  });
  app.addHook("onRequest", (request, reply, done) => {
    if (UNAUTHENTICATED_PATHS.has(request.url)) return done();
    const check = app.basicAuth as (req: typeof request, res: typeof reply, next: (err?: Error) => void) => void;
    check(request, reply, (error) => {
      // A browser's first request carries no credentials by design; only a wrong pair is news.
      if (error && request.headers.authorization) deps.logger.warn({ ip: request.ip, url: request.url }, "dashboard: wrong credentials");
      done(error);
    });
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const { failing, errors } = await checkReadiness(deps.checks);
    const checks = Object.fromEntries(Object.keys(deps.checks).map((name) => [name, errors[name] ?? "ok"]));
    return reply.code(failing.length === 0 ? 200 : 503).send({ status: failing.length === 0 ? "ready" : "not ready", checks });
  });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath("/");
  createBullBoard({
    queues: deps.queues.map(
      ({ queue, description }) => new BullMQAdapter(queue, { readOnlyMode: readOnly, description, displayName: queue.name }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: readOnly ? "dealgraph (read-only)" : "dealgraph", hideDocsLink: true } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: "/" });
  return app;
}
