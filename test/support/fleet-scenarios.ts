import type { GraphClient } from "@dealgraph/graph";
import { withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accountEnvelope as envelope, pipelineStatuses, pricingCall as call, roundTripsOf, type TestFleet } from "./fleet";
import type { RunningApp } from "./processes";

/*
 * The fleet's ordering and exactly-once scenarios, shared by the fleet test (one Redis) and the
 * Redis Cluster test, so that both prove the same thing.
 */

export interface FleetScenarioContext {
  fleet: TestFleet;
  db: Kysely<Database>;
  dealGraph: GraphClient;
  aiGraph: GraphClient;
  /** The worker processes the scenario started, to be stopped with `stopWorkers`. */
  workers: RunningApp[];
  keyFor(tenantId: string): Promise<string>;
  startWorkers(deals: number, actionItems: number): Promise<void>;
  stopWorkers(): Promise<void>;
}

/** Interactions of an account in the order the graph applied them (processed_at), with their timestamps. */
export async function appliedOrder(graph: GraphClient, tenantId: string, accountId: string): Promise<Array<{ occurred: string; processed: string }>> {
  return graph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (i:Interaction {tenant_id: $tenantId, account_id: $accountId})
       RETURN toString(i.occurred_at) AS occurred, toString(i.processed_at) AS processed ORDER BY i.processed_at`,
      { tenantId, accountId },
    );
    return result.records.map((r) => ({ occurred: String(r.get("occurred")), processed: String(r.get("processed")) }));
  });
}

export async function dealsOf(dealGraph: GraphClient, tenantId: string, accountId: string) {
  return dealGraph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (d:Deal {tenant_id: $tenantId, account_id: $accountId})
       RETURN d.opportunity_id AS id, d.version_number AS version, d.amount AS amount,
              COUNT { (d)-[:HAS_VERSION]->(:DealVersion) } AS versions`,
      { tenantId, accountId },
    );
    return result.records.map((r) => r.toObject() as { id: string; version: number; amount: number; versions: number });
  });
}

/** Twenty envelopes of one account, posted at once and shuffled, are applied in timestamp order across four workers, while other accounts proceed. */
export async function perAccountOrderScenario(ctx: FleetScenarioContext, tenantId: string): Promise<void> {
  const key = await ctx.keyFor(tenantId);
  await ctx.startWorkers(2, 2);
  const start = Date.parse("2026-07-01T09:00:00Z");
  const chain = Array.from({ length: 20 }, (_, i) => envelope(tenantId, "acct-chain", start + i * 3_600_000, call(100_000 + i * 1_000)));
  // Later than the whole chain: under one global order they would have to wait for all of it.
  const others = Array.from({ length: 5 }, (_, i) => envelope(tenantId, `acct-other-${i}`, start + 30 * 3_600_000, call(50_000 + i)));
  // Posted all at once, in an order that is not the timestamps'.
  const shuffled = [...chain].sort(() => Math.random() - 0.5);
  const answers = await Promise.all([...shuffled, ...others].map((e) => ctx.fleet.post(e, key)));
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  await ctx.fleet.settled(ctx.db, tenantId, 25);

  for (const graph of [ctx.dealGraph, ctx.aiGraph]) {
    const order = await appliedOrder(graph, tenantId, "acct-chain");
    expect(order).toHaveLength(20);
    expect(order.map((o) => o.occurred)).toEqual([...order.map((o) => o.occurred)].sort());
  }
  expect(await dealsOf(ctx.dealGraph, tenantId, "acct-chain")).toEqual([expect.objectContaining({ version: 20, versions: 19, amount: 119_000 })]);
  // The other accounts did not wait for the chain to finish.
  const chainDone = (await appliedOrder(ctx.dealGraph, tenantId, "acct-chain")).at(-1)?.processed ?? "";
  const otherDone = await Promise.all(others.map(async (_, i) => (await appliedOrder(ctx.dealGraph, tenantId, `acct-other-${i}`))[0]?.processed ?? ""));
  expect(otherDone.every((at) => at !== "" && at < chainDone)).toBe(true);
  // Each pipeline's workers counted their round trips to both stores.
  for (const name of ["worker:deals", "worker:action_items"]) {
    const trips = await Promise.all(ctx.workers.filter((w) => w.name === name).map((w) => roundTripsOf(w)));
    expect(trips.reduce((sum, t) => sum + t.neo4j, 0)).toBeGreaterThan(0);
    expect(trips.reduce((sum, t) => sum + t.postgres, 0)).toBeGreaterThan(0);
  }
  await ctx.stopWorkers();
}

/** A worker killed right after its graph write: the job is recovered as stalled, with no duplicate node, version or row. */
export async function killedWorkerScenario(ctx: FleetScenarioContext, tenantId: string): Promise<void> {
  const key = await ctx.keyFor(tenantId);
  // This worker holds each job after its graph write: it is killed exactly there, with the
  // deal written and the inbox not yet told.
  const doomed = await ctx.fleet.startWorker("deals", { WORKER_TEST_HOLD_AFTER_WRITE_MS: "60000" });
  const start = Date.parse("2026-08-01T09:00:00Z");
  const sent = Array.from({ length: 8 }, (_, i) => envelope(tenantId, "acct-kill", start + i * 3_600_000, call(200_000 + i * 1_000)));
  for (const e of sent) await ctx.fleet.post(e, key);
  const deadline = Date.now() + 30_000;
  while ((await appliedOrder(ctx.dealGraph, tenantId, "acct-kill")).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(await appliedOrder(ctx.dealGraph, tenantId, "acct-kill")).toHaveLength(1);
  const held = sent[0]!;
  expect((await pipelineStatuses(ctx.db, tenantId, held.interaction_id)).get(held.interaction_id)?.deals).toBe("queued");
  await doomed.kill();
  ctx.workers.push(await ctx.fleet.startWorker("deals"), await ctx.fleet.startWorker("action_items"));
  await ctx.fleet.settled(ctx.db, tenantId, 8);

  expect(await dealsOf(ctx.dealGraph, tenantId, "acct-kill")).toEqual([expect.objectContaining({ version: 8, versions: 7, amount: 207_000 })]);
  expect(await appliedOrder(ctx.dealGraph, tenantId, "acct-kill")).toHaveLength(8);
  const rows = await withTenant(ctx.db, tenantId, async (trx) => ({
    opportunities: (await trx.selectFrom("opportunities").select("id").execute()).length,
    versions: (await trx.selectFrom("deal_versions").select("version_id").execute()).length,
  }));
  expect(rows).toEqual({ opportunities: 1, versions: 7 });
  // The held job was recovered as stalled (not lost, not run twice into the graph).
  const recovered = await ctx.fleet.queues.deals.getJob(`${tenantId}.${held.interaction_id}`);
  expect(recovered?.stalledCounter).toBeGreaterThanOrEqual(1);
  await ctx.stopWorkers();
}
