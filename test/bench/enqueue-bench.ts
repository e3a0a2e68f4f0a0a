import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Config } from "@dealgraph/config";
import { pipelineQueues, closeQuietly, openQueue } from "@dealgraph/queues";
import { ApiKeys, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accountEnvelope, pricingCall, TestFleet } from "../support/fleet";
import { deleteTenantData } from "../support/pipelines";
import { projectRoot } from "../support/run-cli";
import { chunks } from "./chunks";
import { JsonPoster } from "./json-poster";
import { percentile, row, type BenchRow } from "./report";

/** Runs `work` over `count` items with `concurrency` in flight; returns each item's latency (ms) and the wall time. */
async function timed(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - started };
}

/** Starts `bare-http-server.ts` as its own process, as the api runs; answers its URL. */
async function startBareServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "bare-http-server.ts")], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the bare HTTP server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/v1/envelopes`,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Benchmark 1: envelopes per second and latency through `POST /v1/envelopes` (auth, validation,
 * the inbox, both queues), one envelope per post and in arrays, against raw BullMQ `Queue.add`
 * of the same job payloads to both queues, from the same machine with the same concurrency.
 * One envelope per post is also set against a bare HTTP server answering the same posts, so the
 * table shows what the api adds to the HTTP hop apart from what the hop costs on this machine.
 */
export async function enqueueBench(
  config: Config,
  db: Kysely<Database>,
  options: { envelopes: number; concurrency: number; perArray: number; arraysInFlight: number },
): Promise<BenchRow[]> {
  const fleet = new TestFleet(config, { LOG_LEVEL: "warn" });
  const tenantId = randomUUID();
  await fleet.startApi();
  const key = (await new ApiKeys(db).create(tenantId, "bench")).key;
  const at = Date.parse("2026-01-01T00:00:00Z");
  const envelopes = () =>
    Array.from({ length: options.envelopes }, (_, i) => accountEnvelope(tenantId, `acct-${i % 50}`, at + i * 60_000, pricingCall(10_000 + i)));
  const poster = new JsonPoster(`${fleet.apiUrl}/v1/envelopes`, Math.max(options.concurrency, options.arraysInFlight));
  const headers = { authorization: `Bearer ${key}` };
  const post = async (body: unknown) => {
    const answer = await poster.post(body, headers);
    if (answer.status !== 202) throw new Error(`api answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  try {
    // Warm the connections and the api's code paths first.
    for (const e of envelopes().slice(0, 20)) await post(e);
    const single = envelopes();
    const api = await timed(single.length, options.concurrency, (i) => post(single[i]));
    const bare = await startBareServer();
    const barePoster = new JsonPoster(bare.url, options.concurrency);
    const floor = await (async () => {
      try {
        return await timed(single.length, options.concurrency, async (i) => {
          if ((await barePoster.post(single[i], headers)).status !== 202) throw new Error("the bare HTTP server did not answer 202");
        });
      } finally {
        barePoster.close();
        await bare.stop();
      }
    })();
    const arrays = chunks(envelopes(), options.perArray);
    const apiArrays = await timed(arrays.length, options.arraysInFlight, (i) => post(arrays[i]));

    const connection = { url: config.redis.url };
    const prefix = `{dealgraph-bench-raw-${randomUUID().slice(0, 8)}}`;
    const queues = [pipelineQueues("action_items").queue, pipelineQueues("deals").queue].map((name) => openQueue(name, { connection, prefix }));
    try {
      await Promise.all(queues.map((q) => q.waitUntilReady()));
      const raw = await timed(single.length, options.concurrency, async (i) => {
        const data = { tenant_id: tenantId, interaction_id: single[i]?.interaction_id };
        await Promise.all(queues.map((q) => q.add("envelope", data, { jobId: `${tenantId}.${data.interaction_id}` })));
      });
      const rate = (r: { wallMs: number }) => (options.envelopes / r.wallMs) * 1000;
      const reference = { name: "raw Queue.add", value: rate(raw) };
      const half = (r: { wallMs: number }) => ({ text: "≥ 0.5 × raw", met: rate(r) >= 0.5 * rate(raw) });
      const bareFloor = { name: "bare HTTP server", value: rate(floor) };
      return [
        row(
          "1 enqueue",
          `api envelopes/s, arrays of ${options.perArray}, ${options.arraysInFlight} in flight`,
          rate(apiArrays),
          "/s",
          reference,
          half(apiArrays),
        ),
        row("1 enqueue", `api envelopes/s, one per post, ${options.concurrency} in flight`, rate(api), "/s", reference, {
          text: "≥ 0.35 × raw",
          met: rate(api) >= 0.35 * rate(raw),
        }),
        row("1 enqueue", `  the same against the HTTP hop alone`, rate(api), "/s", bareFloor),
        row("1 enqueue", `  HTTP hop alone (bare server answering 202), one per post`, rate(floor), "/s", reference),
        row("1 enqueue", "api p50 latency, one per post", percentile(api.latencies, 50), "ms", { name: "raw Queue.add", value: percentile(raw.latencies, 50) }),
        row("1 enqueue", "api p99 latency, one per post", percentile(api.latencies, 99), "ms", { name: "raw Queue.add", value: percentile(raw.latencies, 99) }),
        row("1 enqueue", `api p50 latency, array of ${options.perArray}`, percentile(apiArrays.latencies, 50), "ms"),
      ];
    } finally {
      for (const q of queues) {
        await q.obliterate({ force: true });
        await closeQuietly(q);
      }
    }
  } finally {
    poster.close();
    await fleet.stop();
    await deleteTenantData(config, [], [tenantId]);
  }
}
