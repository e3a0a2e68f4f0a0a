import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Config, GraphName } from "@dealgraph/config";
import { loadCorpus } from "@dealgraph/corpus";
import type { GraphClient } from "@dealgraph/graph";
import { ApiKeys, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accountEnvelope, TestFleet } from "../support/fleet";
import { deleteTenantData } from "../support/pipelines";
import { JsonPoster, postInArrays } from "./json-poster";
import { row, type BenchRow } from "./report";

/** The machine's CPU time, busy and total, from os.cpus() (all cores). */
function cpuTimes(): { busy: number; total: number } {
  return os.cpus().reduce(
    (sum, cpu) => {
      const { user, nice, sys, irq, idle } = cpu.times;
      return { busy: sum.busy + user + nice + sys + irq, total: sum.total + user + nice + sys + irq + idle };
    },
    { busy: 0, total: 0 },
  );
}

interface Run {
  perSecond: number;
  cpuBusy: number;
}

/**
 * One fleet of `workers` processes per pipeline (and one api) processing `envelopes` envelopes
 * of many accounts, from the first post until both pipelines are done with every one.
 */
async function processWith(
  config: Config,
  db: Kysely<Database>,
  graphs: Record<GraphName, GraphClient>,
  workers: number,
  size: { envelopes: number; accounts: number },
): Promise<Run> {
  const fleet = new TestFleet(config, { LOG_LEVEL: "warn", ORDERING_WINDOW_MS: "1000", JOB_STALLED_INTERVAL_MS: "30000" });
  const tenantId = randomUUID();
  const texts = (await loadCorpus()).entries.map((e) => e.envelope.content.text);
  const start = Date.parse("2026-03-02T09:00:00Z");
  const envelopes = Array.from({ length: size.envelopes }, (_, i) =>
    accountEnvelope(tenantId, `scale-account-${i % size.accounts}`, start + Math.floor(i / size.accounts) * 86_400_000, texts[i % texts.length] as string),
  );
  try {
    await fleet.startApi();
    await Promise.all(Array.from({ length: workers }, () => [fleet.startWorker("deals"), fleet.startWorker("action_items")]).flat());
    const key = (await new ApiKeys(db).create(tenantId, "bench scale-out")).key;
    const cpuBefore = cpuTimes();
    const started = performance.now();
    await postInArrays(fleet.apiUrl, key, envelopes);
    await fleet.settled(db, tenantId, envelopes.length, 30 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuTimes();
    return { perSecond: envelopes.length / seconds, cpuBusy: (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total) };
  } finally {
    await fleet.stop();
    await deleteTenantData(config, [graphs.action_items, graphs.deals], [tenantId]);
  }
}

/** Single-envelope posts per second to `apis` api processes (no workers), `concurrency` in flight spread over them. */
async function enqueueWith(config: Config, db: Kysely<Database>, apis: number, size: { envelopes: number; concurrency: number }): Promise<Run> {
  const fleet = new TestFleet(config, { LOG_LEVEL: "warn" });
  const tenantId = randomUUID();
  try {
    const urls: string[] = [];
    for (let i = 0; i < apis; i++) {
      await fleet.startApi();
      urls.push(`${fleet.apiUrl}/v1/envelopes`);
    }
    const key = (await new ApiKeys(db).create(tenantId, "bench scale-out")).key;
    const posters = urls.map((url) => new JsonPoster(url, Math.ceil(size.concurrency / apis)));
    const cpuBefore = cpuTimes();
    const started = performance.now();
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: size.concurrency }, async (_, lane) => {
          const poster = posters[lane % posters.length] as JsonPoster;
          for (let i = next++; i < size.envelopes; i = next++) {
            const envelope = accountEnvelope(
              tenantId,
              `scale-account-${i % 500}`,
              Date.parse("2026-03-02T09:00:00Z") + i * 1000,
              "Ada (Vendor): I will send the pricing sheet by Friday.",
            );
            const answer = await poster.post(envelope, { authorization: `Bearer ${key}` });
            if (answer.status !== 202) throw new Error(`api answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          }
        }),
      );
    } finally {
      for (const poster of posters) poster.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuTimes();
    return { perSecond: size.envelopes / seconds, cpuBusy: (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total) };
  } finally {
    await fleet.stop();
    await deleteTenantData(config, [], [tenantId]);
  }
}

/**
 * Benchmark 6: how throughput grows with processes on one machine. End to end with 1, 2 and 4
 * worker processes per pipeline over many accounts (so per-account order leaves the work
 * parallel), and intake with 1 and 2 api processes; each with the machine's CPU busy share,
 * which says what saturates.
 */
export async function scaleOutBench(
  config: Config,
  db: Kysely<Database>,
  graphs: Record<GraphName, GraphClient>,
  size: { envelopes: number; accounts: number; posts: number; concurrency: number },
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const runs = new Map<number, Run>();
  for (const workers of [1, 2, 4]) {
    process.stderr.write(`bench:   ${workers} worker process(es) per pipeline\n`);
    runs.set(workers, await processWith(config, db, graphs, workers, size));
  }
  const one = runs.get(1) as Run;
  for (const [workers, run] of runs) {
    const target = workers === 4 && size.envelopes >= 200 ? { text: "≥ 2.5 × 1 process", met: run.perSecond >= 2.5 * one.perSecond } : undefined;
    rows.push(
      row(
        "6 scale-out",
        `envelopes/s, ${workers} worker process(es) per pipeline (CPU ${Math.round(run.cpuBusy * 100)} % busy)`,
        run.perSecond,
        "/s",
        workers === 1 ? undefined : { name: "1 process", value: one.perSecond },
        target,
      ),
    );
  }
  const apis = new Map<number, Run>();
  for (const count of [1, 2]) apis.set(count, await enqueueWith(config, db, count, { envelopes: size.posts, concurrency: size.concurrency }));
  const oneApi = apis.get(1) as Run;
  for (const [count, run] of apis) {
    rows.push(
      row(
        "6 scale-out",
        `api envelopes/s, one per post, ${count} api process(es) (CPU ${Math.round(run.cpuBusy * 100)} % busy)`,
        run.perSecond,
        "/s",
        count === 1 ? undefined : { name: "1 api process", value: oneApi.perSecond },
      ),
    );
  }
  return rows;
}
