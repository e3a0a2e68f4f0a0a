import { randomUUID } from "node:crypto";
import type { Config } from "@dealgraph/config";
import { PIPELINE_QUEUES, closeQuietly, openQueue } from "@dealgraph/queues";
import { ApiKeys, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accountEnvelope, pricingCall, TestFleet } from "../support/fleet";
import { deleteTenantData } from "../support/pipelines";
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

/**
 * Benchmark 1: envelopes per second and latency through `POST /v1/envelopes` (auth, validation,
 * the inbox, both queues), one envelope per post and in arrays, against raw BullMQ `Queue.add`
 * of the same job payloads to both queues, from the same machine with the same concurrency.
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
  const envelopes = () => Array.from({ length: options.envelopes }, (_, i) => accountEnvelope(tenantId, `acct-${i % 50}`, at + i * 60_000, pricingCall(10_000 + i)));
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
    const arrays = chunks(envelopes(), options.perArray);
    const apiArrays = await timed(arrays.length, options.arraysInFlight, (i) => post(arrays[i]));

    const connection = { url: config.redis.url };
    const prefix = `{dealgraph-bench-raw-${randomUUID().slice(0, 8)}}`;
    const queues = [PIPELINE_QUEUES.action_items.queue, PIPELINE_QUEUES.deals.queue].map((name) => openQueue(name, { connection, prefix }));
    try {
      await Promise.all(queues.map((q) => q.waitUntilReady()));
      const raw = await timed(single.length, options.concurrency, async (i) => {
        const data = { tenant_id: tenantId, interaction_id: single[i]?.interaction_id };
        await Promise.all(queues.map((q) => q.add("envelope", data, { jobId: `${tenantId}.${data.interaction_id}` })));
      });
      const rate = (r: { wallMs: number }) => (options.envelopes / r.wallMs) * 1000;
      const reference = { name: "raw Queue.add", value: rate(raw) };
      const half = (r: { wallMs: number }) => ({ text: "≥ 0.5 × raw", met: rate(r) >= 0.5 * rate(raw) });
      return [
        row("1 enqueue", `api envelopes/s, one per post, ${options.concurrency} in flight`, rate(api), "/s", reference, half(api)),
        row("1 enqueue", `api envelopes/s, arrays of ${options.perArray}, ${options.arraysInFlight} in flight`, rate(apiArrays), "/s", reference, half(apiArrays)),
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
