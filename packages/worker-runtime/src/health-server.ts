import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** Each dependency's check; /readyz answers 503 naming those that fail. */
  checks: Record<string, () => Promise<unknown>>;
  /** False while starting or draining: /readyz answers 503. */
  ready: () => boolean;
}

/** How long a dependency may take to answer a readiness check: a frozen Neo4j must not hang the probe. */
export const READINESS_TIMEOUT_MS = 2_000;

function withinTimeout(check: () => Promise<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/** Runs every dependency check at once, each bounded in time: which fail, and why. Every `/readyz` of the fleet asks this. */
/** /readyz of an HTTP app: 200 with each check "ok", or 503 with what each failing one said. */
export async function readinessAnswer(
  checks: Record<string, () => Promise<unknown>>,
): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const { failing, errors } = await checkReadiness(checks);
  const ready = failing.length === 0;
  return {
    status: ready ? 200 : 503,
    body: { status: ready ? "ready" : "not ready", checks: Object.fromEntries(Object.keys(checks).map((name) => [name, errors[name] ?? "ok"])) },
  };
}

export async function checkReadiness(
  checks: Record<string, () => Promise<unknown>>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<{ failing: string[]; errors: Record<string, string> }> {
  const names = Object.keys(checks);
  const results = await Promise.allSettled(names.map((name) => withinTimeout(checks[name]!, timeoutMs)));
  const errors: Record<string, string> = {};
  results.forEach((result, i) => {
    if (result.status === "rejected") errors[names[i] as string] = result.reason instanceof Error ? result.reason.message : String(result.reason);
  });
  return { failing: Object.keys(errors), errors };
}

/**
 * `/healthz` (the process runs), `/readyz` (it can do work: dependencies answer and it is not
 * draining) and `/metrics` (Prometheus text), on every long-running process of the fleet.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") return reply(200, { status: "ok" });
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => reply(200, text, options.registry.contentType),
        () => reply(500, "metrics failed", "text/plain"),
      );
      return;
    }
    if (path === "/readyz") {
      checkReadiness(options.checks)
        .then(({ failing }) => {
          const ready = options.ready() && failing.length === 0;
          reply(ready ? 200 : 503, { status: ready ? "ready" : "not ready", failing, draining: !options.ready() });
        })
        .catch(() => reply(503, { status: "not ready" }));
      return;
    }
    reply(404, { error: { code: "NOT_FOUND", message: "Not found" } });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  return server;
}
