import { randomUUID } from "node:crypto";
import type { Config } from "@dealgraph/config";
import { bullConnection, closeBullConnection, closeQuietly, openQueue, pipelineQueues } from "@dealgraph/queues";

/** The built-in pipelines, which the fleet tests drive by name. */
export type Pipeline = "action_items" | "deals";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { ConnectionOptions, Queue } from "bullmq";
import type { Kysely } from "kysely";
import { freePort } from "./free-port";
import { startApp, type RunningApp } from "./processes";

/** A short call that yields one deal (priced at `amount`) and one action item. */
export const pricingCall = (amount: number) =>
  [
    `Ada Park (Vendor Co): The fleet analytics platform would be ${amount.toLocaleString("en-US")} dollars a year.`,
    "Lee Fox (Client Ltd): Thanks Ada, I'll share the pricing with our CFO by Friday.",
  ].join("\n");

/** A worker's `dealgraph_round_trips_total` so far, per store, read from its /metrics. */
export async function roundTripsOf(worker: RunningApp): Promise<{ neo4j: number; postgres: number }> {
  const text = await (await fetch(`${worker.url}/metrics`)).text();
  const count = (store: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith("dealgraph_round_trips_total{") && line.includes(`store="${store}"`))
      .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
  return { neo4j: count("neo4j"), postgres: count("postgres") };
}

/** An EnvelopeV1 of one account at a given time. */
export function accountEnvelope(tenantId: string, accountId: string, at: number, text: string) {
  return {
    schema_version: "v1",
    tenant_id: tenantId,
    account_id: accountId,
    interaction_id: randomUUID(),
    interaction_type: "transcript",
    content: { text, format: "diarized" },
    timestamp: new Date(at).toISOString(),
    source: "api",
  };
}

/**
 * A fleet of real processes (api and workers) on a queue prefix and ports of its own, with
 * short stall and backoff times so that recovery shows within a test's patience.
 */
export class TestFleet {
  readonly prefix = `{dealgraph-fleet-${randomUUID().slice(0, 8)}}`;
  readonly apps: RunningApp[] = [];
  apiUrl = "";
  readonly queues: Record<Pipeline, Queue>;
  readonly deadLetters: Record<Pipeline, Queue>;
  readonly projections: Record<Pipeline, Queue>;
  private readonly connection: ConnectionOptions;

  constructor(
    private readonly config: Config,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {
    this.connection = bullConnection(config.redis, "test-fleet");
    const queue = (name: string) => openQueue(name, { connection: this.connection, prefix: this.prefix });
    const each = (which: "queue" | "deadLetter" | "projection") => ({
      action_items: queue(pipelineQueues("action_items")[which]),
      deals: queue(pipelineQueues("deals")[which]),
    });
    this.queues = each("queue");
    this.deadLetters = each("deadLetter");
    this.projections = each("projection");
  }

  private baseEnv(): NodeJS.ProcessEnv {
    return {
      QUEUE_PREFIX: this.prefix,
      ...(this.config.redis.clusterNodes ? { REDIS_CLUSTER_NODES: this.config.redis.clusterNodes.map((n) => `${n.host}:${n.port}`).join(",") } : {}),
      LLM_PROVIDER: "offline",
      JOB_STALLED_INTERVAL_MS: "3000",
      JOB_BACKOFF_MS: "200",
      JOB_ATTEMPTS: "3",
      WORKER_CONCURRENCY: "4",
      // A busy CI machine may take longer than the default second to accept a burst of posts.
      ORDERING_WINDOW_MS: "3000",
      ...this.env,
    };
  }

  async startApi(env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
    const port = await freePort();
    this.apiUrl = `http://127.0.0.1:${port}`;
    const app = await startApp("api", { ...this.baseEnv(), API_PORT: String(port), ...env }, `${this.apiUrl}/healthz`);
    this.apps.push(app);
    return app;
  }

  /** The worker app for a registered pipeline (a built-in, or one PIPELINE_MODULES in `env` adds), on a port of its own. */
  async startWorker(pipeline: string, env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
    const port = await freePort();
    const app = await startApp(`worker:${pipeline}`, { ...this.baseEnv(), WORKER_PORT: String(port), ...env }, `http://127.0.0.1:${port}/healthz`);
    this.apps.push(app);
    return app;
  }

  /** Bull Board over this fleet's queues; answers at `url` with `DASHBOARD_PASSWORD` set unless `env` unsets it. */
  async startDashboard(env: NodeJS.ProcessEnv = {}): Promise<{ app: RunningApp; url: string }> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const app = await startApp("dashboard", { ...this.baseEnv(), DASHBOARD_PORT: String(port), ...env }, `${url}/healthz`);
    this.apps.push(app);
    return { app, url };
  }

  async post(envelope: unknown, key: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.apiUrl}/v1/envelopes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(envelope),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Waits until every inbox entry of the tenant is finished for every pipeline. */
  async settled(db: Kysely<Database>, tenantId: string, expected: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const envelopes = await pipelineStatuses(db, tenantId);
      const open = [...envelopes.values()].filter((runs) => Object.values(runs).includes("queued")).length;
      if (envelopes.size >= expected && open === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${open} of ${envelopes.size} envelopes still queued after ${timeoutMs} ms\n${this.apps.map((a) => `--- ${a.name}\n${a.output().slice(-3000)}`).join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Waits until the inbox shows these statuses for the envelope (e.g. every pipeline "dead"), and answers what it shows. */
  async inboxReaches(
    db: Kysely<Database>,
    tenantId: string,
    interactionId: string,
    expected: Record<string, string>,
    timeoutMs = 60_000,
  ): Promise<Record<string, string> | undefined> {
    const read = async () => (await pipelineStatuses(db, tenantId, interactionId)).get(interactionId);
    const reached = (runs: Record<string, string> | undefined) =>
      runs !== undefined && Object.entries(expected).every(([pipeline, status]) => runs[pipeline] === status);
    const deadline = Date.now() + timeoutMs;
    let runs = await read();
    while (!reached(runs) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      runs = await read();
    }
    return runs;
  }

  /**
   * Replaces the envelope the inbox holds, behind the api's back (as the table owner): a
   * damaged envelope is a failure no retry can fix, until it is put right.
   */
  async setStoredEnvelope(tenantId: string, interactionId: string, envelope: unknown): Promise<void> {
    const owner = createDatabase({ url: this.config.postgres.ownerUrl, poolMax: 1, applicationName: "fleet-test-owner" });
    try {
      await withTenant(owner, tenantId, (trx) =>
        trx
          .updateTable("inbox")
          .set({ envelope: JSON.stringify(envelope) })
          .where("interaction_id", "=", interactionId)
          .execute(),
      );
    } finally {
      await owner.destroy();
    }
  }

  /** What Redis losing its data looks like to the fleet: every key of this fleet's prefix is gone. */
  async loseRedisData(): Promise<number> {
    // A single-node Redis here; the client type also admits a Cluster, which has no SCAN.
    const redis = (await this.queues.deals.client) as unknown as {
      scan(cursor: string, ...args: Array<string | number>): Promise<[string, string[]]>;
      del(...keys: string[]): Promise<number>;
    };
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${this.prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== "0");
    return deleted;
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((app) => app.stop(15_000)));
    for (const queue of [...Object.values(this.queues), ...Object.values(this.deadLetters), ...Object.values(this.projections)]) {
      await queue.obliterate({ force: true });
      await closeQuietly(queue);
    }
    await closeBullConnection(this.connection);
  }
}

/** Each inbox envelope's pipeline statuses (`{ deals: "done", action_items: "queued" }`), by interaction id. */
export async function pipelineStatuses(db: Kysely<Database>, tenantId: string, interactionId?: string): Promise<Map<string, Record<string, string>>> {
  const rows = await withTenant(db, tenantId, (trx) => {
    let query = trx
      .selectFrom("inbox")
      .leftJoin("inbox_pipeline_runs as run", (join) =>
        join.onRef("run.tenant_id", "=", "inbox.tenant_id").onRef("run.interaction_id", "=", "inbox.interaction_id"),
      )
      .select(["inbox.interaction_id", "run.pipeline", "run.status"]);
    if (interactionId !== undefined) query = query.where("inbox.interaction_id", "=", interactionId);
    return query.execute();
  });
  const envelopes = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const runs = envelopes.get(row.interaction_id) ?? {};
    if (row.pipeline !== null && row.status !== null) runs[row.pipeline] = row.status;
    envelopes.set(row.interaction_id, runs);
  }
  return envelopes;
}
