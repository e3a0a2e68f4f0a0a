import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Config } from "@dealgraph/config";
import { dealRef, mintEntityId } from "@dealgraph/contracts";
import { DealGraphRepository, newDealRecord } from "@dealgraph/deal-pipeline";
import { blankDeal } from "@dealgraph/extraction";
import type { GraphClient, InteractionFacts } from "@dealgraph/graph";
import { deleteTenantData } from "../support/pipelines";
import { row, type BenchRow } from "./report";

/*
 * Part of benchmark 2: what micro-batching saves where it acts. A worker holding several
 * envelopes of different accounts could write them in one graph transaction instead of one
 * each, saving a commit (a round trip, the transaction log, the vector indexes' update) per
 * envelope beyond the first. Here the deal pipeline's own write statement
 * (DealGraphRepository.writeEnvelope: Interaction, stamp, new deals, read-back) runs for
 * `writes` envelopes of as many accounts, four in flight as a worker has them: once as a
 * transaction each, once four to a transaction; the figures are writes per second and the
 * machine's CPU time per write (client and server together, all cores). The pipelines do not
 * group their writes: end to end it did not pay (see the README's Performance section), because
 * an envelope's write is a small part of its time and writes seldom wait on each other.
 */

const IN_FLIGHT = 4;

function cpuSeconds(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0) / 1000;
}

function envelopeWrites(tenantId: string, count: number, dimension: number) {
  return Array.from({ length: count }, (_, n) => {
    const facts: InteractionFacts = {
      tenantId,
      accountId: `grouping-account-${n}`,
      interactionId: randomUUID(),
      occurredAt: "2026-03-02T15:00:00Z",
      userId: "user-bench",
      interactionType: "transcript",
      source: "api",
    };
    const creates = Array.from({ length: 1 + (n % 2) }, (_, d) => {
      const opportunityId = mintEntityId();
      const record = newDealRecord(
        blankDeal({
          name: `Grouping deal ${n}-${d}`,
          summary: "A deal of the write-grouping benchmark.",
          amount: 10_000 * (n + 1),
          currency: "USD",
          confidence: 0.8,
        }),
        { opportunityId, dealRef: dealRef(opportunityId), tenantId, accountId: facts.accountId },
        { interactionId: facts.interactionId, userId: "user-bench" },
      );
      return { record, embedding: Array.from({ length: dimension }, (_, i) => Math.sin(n * 31 + d * 7 + i)) };
    });
    return { facts, creates, stamp: { count: creates.length, outcome: { created: creates.map((c) => c.record.opportunityId), merged: [] } } };
  });
}

type EnvelopeWrite = ReturnType<typeof envelopeWrites>[number];

async function timed(run: () => Promise<void>, writes: number): Promise<{ perSecond: number; cpuMs: number }> {
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: writes / seconds, cpuMs: ((cpuSeconds() - cpuBefore) / writes) * 1000 };
}

export async function writeGroupingBench(config: Config, graph: GraphClient, size: { writes: number }): Promise<BenchRow[]> {
  const repository = new DealGraphRepository();
  const tenants: string[] = [randomUUID(), randomUUID()];
  const write = (tx: Parameters<Parameters<GraphClient["write"]>[0]>[0], w: EnvelopeWrite) =>
    repository.writeEnvelope(tx, w.facts, { creates: w.creates, merges: [] }, w.stamp);
  try {
    // Warm the statement's plan and the server's code paths before either measured pass.
    const warm = envelopeWrites(randomUUID(), IN_FLIGHT, config.embeddings.dimension);
    tenants.push(warm[0]!.facts.tenantId);
    await graph.write(async (tx) => {
      for (const w of warm) await write(tx, w);
    });

    const single = envelopeWrites(tenants[0]!, size.writes, config.embeddings.dimension);
    const each = await timed(async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < single.length) {
            const w = single[next++] as EnvelopeWrite;
            await graph.write((tx) => write(tx, w));
          }
        }),
      );
    }, single.length);

    const grouped = envelopeWrites(tenants[1]!, size.writes, config.embeddings.dimension);
    const together = await timed(async () => {
      for (let start = 0; start < grouped.length; start += IN_FLIGHT) {
        const group = grouped.slice(start, start + IN_FLIGHT);
        await graph.write(async (tx) => {
          for (const w of group) await write(tx, w);
        });
      }
    }, grouped.length);

    const reference = (value: number) => ({ name: "a transaction each", value });
    return [
      row("2 processing", `graph writes/s, ${IN_FLIGHT} envelopes to a transaction`, together.perSecond, "/s", reference(each.perSecond)),
      row("2 processing", `CPU ms per graph write, ${IN_FLIGHT} envelopes to a transaction`, together.cpuMs, "ms", reference(each.cpuMs)),
    ];
  } finally {
    await deleteTenantData(config, [graph], tenants);
  }
}
