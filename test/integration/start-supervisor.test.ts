import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { GraphClient } from "@dealgraph/graph";
import { ApiKeys, createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accountEnvelope as envelope, pipelineStatuses, pricingCall as call } from "../support/fleet";
import { freePort } from "../support/free-port";
import { deleteTenantData } from "../support/pipelines";
import { projectRoot } from "../support/run-cli";
import { connectGraph, freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * `pnpm start` as an operator runs it: the whole fleet under one script that keeps each process
 * running. A worker killed with SIGKILL mid-work comes back by itself while the api keeps
 * answering, and the envelopes it held complete exactly once.
 */

jest.setTimeout(240_000);

const config = testConfig();
const prefix = `{dealgraph-start-${randomUUID().slice(0, 8)}}`;
const tenantId = freshTenantId();
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let start: ChildProcess;
let output = "";
const ports: Record<string, number> = {};

const url = (name: string, path: string) => `http://127.0.0.1:${ports[name]}${path}`;
const ok = async (target: string) => {
  try {
    return (await fetch(target, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not within ${timeoutMs} ms\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Date.now() - started;
}

/** The deal worker this fleet started: the node process running its main with this fleet's queue prefix. */
function dealWorkerPid(): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.includes("apps/worker/src/main.ts\0deals") || cmdline.startsWith("bash")) continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`QUEUE_PREFIX=${prefix}`)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return null;
}

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "start-test" });
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  for (const name of ["api", "dashboard", "deal-room", "worker-action-items", "worker-deals", "reconciler"]) ports[name] = await freePort();
  start = spawn("bash", ["scripts/start.sh"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: "warn",
      LLM_PROVIDER: "offline",
      API_PORT: String(ports.api),
      DASHBOARD_PORT: String(ports.dashboard),
      DEAL_ROOM_PORT: String(ports["deal-room"]),
      WORKER_ACTION_ITEMS_PORT: String(ports["worker-action-items"]),
      WORKER_DEALS_PORT: String(ports["worker-deals"]),
      RECONCILER_PORT: String(ports.reconciler),
      DASHBOARD_PASSWORD: `start-${randomUUID()}`,
      JOB_STALLED_INTERVAL_MS: "3000",
      ORDERING_WINDOW_MS: "3000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  start.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  start.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await until(
    "the fleet ready",
    async () => (await ok(url("api", "/readyz"))) && (await ok(url("worker-deals", "/readyz"))) && (await ok(url("worker-action-items", "/readyz"))),
    120_000,
  );
});

afterAll(async () => {
  if (start.exitCode === null) {
    start.kill("SIGTERM");
    await new Promise((resolve) => start.once("exit", resolve));
  }
  await deleteTenantData(config, [dealGraph, aiGraph], [tenantId]);
  await Promise.all([db.destroy(), dealGraph.close(), aiGraph.close()]);
});

describe("pnpm start", () => {
  it("brings back a SIGKILLed worker within 30 s while the api answers, and its envelopes complete once", async () => {
    const { key } = await new ApiKeys(db).create(tenantId, "start test");
    const first = Date.parse("2026-09-01T09:00:00Z");
    const sent = Array.from({ length: 6 }, (_, i) => envelope(tenantId, "acct-start", first + i * 3_600_000, call(300_000 + i * 1_000)));
    for (const e of sent) {
      const posted = await fetch(url("api", "/v1/envelopes"), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify(e),
      });
      expect(posted.status).toBe(202);
    }
    const pid = dealWorkerPid();
    expect(pid).not.toBeNull();
    process.kill(pid!, "SIGKILL");
    await until("the killed worker gone", async () => !(await ok(url("worker-deals", "/healthz"))), 10_000);
    // Meanwhile the api answers.
    expect(await ok(url("api", "/readyz"))).toBe(true);
    const back = await until("the worker back", () => ok(url("worker-deals", "/readyz")), 30_000);
    expect(back).toBeLessThan(30_000);
    expect(dealWorkerPid()).not.toBe(pid);

    await until(
      "every envelope finished",
      async () => {
        const envelopes = [...(await pipelineStatuses(db, tenantId)).values()];
        return envelopes.length === sent.length && envelopes.every((runs) => runs.deals === "done" && runs.action_items === "done");
      },
      120_000,
    );
    const graph = await dealGraph.read(async (tx) => {
      const result = await tx.run(
        `MATCH (d:Deal {tenant_id: $tenantId, account_id: "acct-start"})
         RETURN count(d) AS deals, max(d.version_number) AS version, COUNT { MATCH (:Interaction {tenant_id: $tenantId, account_id: "acct-start"}) } AS interactions`,
        { tenantId },
      );
      return result.records[0]!.toObject() as { deals: number; version: number; interactions: number };
    });
    expect(graph).toEqual({ deals: 1, version: sent.length, interactions: sent.length });
    const rows = await withTenant(db, tenantId, async (trx) => ({
      opportunities: (await trx.selectFrom("opportunities").select("id").execute()).length,
      versions: (await trx.selectFrom("deal_versions").select("version_id").execute()).length,
    }));
    expect(rows).toEqual({ opportunities: 1, versions: sent.length - 1 });
  });
});
