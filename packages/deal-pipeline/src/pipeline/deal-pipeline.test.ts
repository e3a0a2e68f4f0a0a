import { randomUUID } from "node:crypto";
import { exampleEnvelope, type AcceptedEnvelope } from "@dealgraph/contracts";
import { ConflictError, ValidationError } from "@dealgraph/errors";
import type { InteractionFacts } from "@dealgraph/graph";
import { cosineSimilarity } from "@dealgraph/llm";
import type { CandidateQuery, CandidateResult } from "@dealgraph/matching";
import { offlineStageDeps } from "@dealgraph/pipeline-kit";
import { dealProperties } from "../domain/deal-record";
import type { DealProjectionSource } from "../graph/deal-graph-repository";
import type { ProjectionCounts } from "../projection/deal-projection-repository";
import { DealPipeline } from "./deal-pipeline";
import type { DealGraphStore, DealIds, DealProjector, DealWrite } from "./deal-ports";

/*
 * process() against in-memory ports: the frame's replay, too-short, refusal and projection paths
 * and the deal stages' create and merge, with the offline model and no service running. The
 * same behaviours against Neo4j and Postgres are in test/integration.
 */

/** The deal graph as a map: writes are all-or-nothing, merges check the base version as the Cypher does. */
class InMemoryDealStore implements DealGraphStore {
  readonly deals = new Map<string, { properties: Record<string, unknown>; embedding: number[] }>();
  readonly interactions = new Map<string, { dealIds: string[]; count: number; outcome: unknown }>();
  readonly writes: Array<DealWrite | null> = [];

  readState(facts: InteractionFacts, envelope: AcceptedEnvelope) {
    const target = envelope.opportunity_id ? this.deals.get(envelope.opportunity_id) : undefined;
    return Promise.resolve({
      applied: this.interactions.has(facts.interactionId),
      target: target
        ? {
            opportunityId: String(target.properties.opportunity_id),
            accountId: String(target.properties.account_id),
            name: String(target.properties.name),
            properties: { ...target.properties },
          }
        : null,
      knownDeals: [...this.deals.values()].filter((d) => d.properties.account_id === facts.accountId).map((d) => String(d.properties.name)),
    });
  }

  readApplied(_tenantId: string, interactionId: string) {
    const applied = this.interactions.get(interactionId);
    return Promise.resolve({ linked: applied?.dealIds ?? [], count: applied?.dealIds.length ?? 0, outcome: applied?.outcome ?? null });
  }

  write(facts: InteractionFacts, planned: DealWrite | null, stamp: { count: number; outcome: unknown }): Promise<DealProjectionSource> {
    this.writes.push(planned);
    for (const merge of planned?.merges ?? []) {
      const stored = this.deals.get(merge.record.opportunityId);
      if (stored?.properties.version_number !== merge.baseVersion) return Promise.reject(new ConflictError(`deal ${merge.record.opportunityId} changed`));
    }
    for (const create of planned?.creates ?? [])
      this.deals.set(create.record.opportunityId, { properties: dealProperties(create.record), embedding: create.embedding });
    for (const merge of planned?.merges ?? []) {
      const stored = this.deals.get(merge.record.opportunityId);
      if (stored) stored.properties = dealProperties(merge.record);
    }
    const dealIds = [...(planned?.creates ?? []).map((c) => c.record.opportunityId), ...(planned?.merges ?? []).map((m) => m.record.opportunityId)];
    this.interactions.set(facts.interactionId, { dealIds, count: stamp.count, outcome: stamp.outcome });
    // As the projection takes them (no history kept here).
    const deals = dealIds.map((id) => ({
      properties: { ...this.deals.get(id)?.properties },
      embedding: null,
      embeddingCurrent: null,
      versions: [],
      links: [],
    }));
    return Promise.resolve({ interaction: null, deals });
  }

  findCandidates(_tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<Array<CandidateResult<Record<string, unknown>>>> {
    const inAccount = [...this.deals.values()].filter((d) => d.properties.account_id === accountId);
    return Promise.resolve(
      queries.map((query) => ({
        exactMatchId: (inAccount.find((d) => d.properties.normalized_name === query.key)?.properties.opportunity_id as string | undefined) ?? null,
        hits: inAccount.map((d) => ({
          id: String(d.properties.opportunity_id),
          score: cosineSimilarity(query.embedding, d.embedding),
          embedding: "original" as const,
        })),
        texts: new Map(inAccount.map((d) => [String(d.properties.opportunity_id), String(d.properties.name)])),
        records: new Map(inAccount.map((d) => [String(d.properties.opportunity_id), { ...d.properties }])),
      })),
    );
  }
}

class RecordingProjector implements DealProjector {
  readonly calls: Array<DealIds | null> = [];
  failWith: Error | null = null;

  project(_tenantId: string, _interactionId: string, linked: DealIds | null): Promise<ProjectionCounts> {
    this.calls.push(linked);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({ opportunities: linked?.length ?? 0, deal_versions: 0, interaction_links: 0, interactions: 1 });
  }

  projectWritten(tenantId: string, written: DealProjectionSource): Promise<ProjectionCounts> {
    return this.project(
      tenantId,
      "",
      written.deals.map((deal) => String(deal.properties.opportunity_id)),
    );
  }
}

const PRICED_CALL = `Dana (Acme): Thanks for joining. We want to move forward with the Analytics Suite for our finance team.
Sam (Vendor): Great. For 40 seats the price is $48,000 per year.
Dana (Acme): That works. Our CFO, Priya Shah, signs off on anything over $25k.
Sam (Vendor): I'll send the order form by Friday.`;

const envelope = (overrides: Partial<AcceptedEnvelope> = {}) =>
  exampleEnvelope({
    tenant_id: "00000000-0000-4000-8000-000000000001",
    account_id: "acct-acme",
    interaction_id: randomUUID(),
    content: { text: PRICED_CALL, format: "plain" },
    timestamp: "2026-05-01T10:00:00.000Z",
    ...overrides,
  });

function pipelineWith(store = new InMemoryDealStore(), projector = new RecordingProjector()) {
  const pipeline = new DealPipeline({
    store,
    projector,
    ...offlineStageDeps(),
  });
  return { pipeline, store, projector };
}

describe("DealPipeline.process with in-memory ports", () => {
  it("creates the deals a call prices, stamps the interaction with them and projects exactly those", async () => {
    const { pipeline, store, projector } = pipelineWith();
    const result = await pipeline.process(envelope());

    expect(result.status).toBe("processed");
    expect(result.created.length).toBeGreaterThan(0);
    expect(result.dealCount).toBe(result.created.length);
    const stored = store.deals.get(result.created[0] ?? "");
    expect(stored?.properties).toMatchObject({ account_id: "acct-acme", amount: 48000, currency: "USD", version_number: 1 });
    expect(store.writes).toHaveLength(1);
    expect(projector.calls).toEqual([result.created]);
    expect(result.projection.status).toBe("projected");
  });

  it("replays without a model call or a write and reports the first run's outcome", async () => {
    const { pipeline, store, projector } = pipelineWith();
    const call = envelope();
    const first = await pipeline.process(call);
    const replay = await pipeline.process(call);

    expect(replay.status).toBe("already_applied");
    expect(replay.llm.calls).toBe(0);
    expect({ created: replay.created, merged: replay.merged, dealCount: replay.dealCount }).toEqual({
      created: first.created,
      merged: first.merged,
      dealCount: first.dealCount,
    });
    expect(store.writes).toHaveLength(1);
    expect(projector.calls).toEqual([first.created, first.created]);
  });

  it("merges a later call about the same deal into it, as a new version", async () => {
    const { pipeline, store } = pipelineWith();
    const first = await pipeline.process(envelope());
    const later = await pipeline.process(
      envelope({
        timestamp: "2026-05-08T10:00:00.000Z",
        content: { text: `${PRICED_CALL}\nDana (Acme): Procurement wants the paper process started next week.`, format: "plain" },
      }),
    );

    expect(later.created).toEqual([]);
    expect(later.merged).toEqual(first.created);
    expect(store.deals.get(first.created[0] ?? "")?.properties.version_number).toBe(2);
  });

  it("stamps a too-short transcript with nothing and warns, without calling the model", async () => {
    const { pipeline, store, projector } = pipelineWith();
    const result = await pipeline.process(envelope({ content: { text: "ok, thanks", format: "plain" } }));

    expect(result.status).toBe("skipped");
    expect(result.llm.calls).toBe(0);
    expect(result.warnings).toEqual([expect.objectContaining({ code: "too_short", stage: "route" })]);
    expect(store.writes).toEqual([null]);
    expect(projector.calls).toEqual([[]]);
  });

  it("refuses an envelope without an account, naming the field, and touches nothing", async () => {
    const { pipeline, store, projector } = pipelineWith();
    const refused = pipeline.process(envelope({ account_id: undefined }));

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ retryable: false, issues: [expect.objectContaining({ path: "account_id" })] });
    expect(store.writes).toEqual([]);
    expect(projector.calls).toEqual([]);
  });

  it("refuses a target that does not exist or belongs to another account, before any model call", async () => {
    const { pipeline, store } = pipelineWith();
    await expect(pipeline.process(envelope({ opportunity_id: randomUUID() }))).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: "opportunity_id" })],
    });

    const created = await pipeline.process(envelope());
    const elsewhere = pipeline.process(envelope({ account_id: "acct-other", opportunity_id: created.created[0] ?? "" }));
    await expect(elsewhere).rejects.toMatchObject({ message: expect.stringMatching(/another account/) });
    expect(store.writes).toHaveLength(1);
  });

  it("updates the deal a targeted envelope names, whatever the similarity", async () => {
    const { pipeline } = pipelineWith();
    const created = await pipeline.process(envelope());
    const id = created.created[0] ?? "";
    const targeted = await pipeline.process(envelope({ opportunity_id: id, timestamp: "2026-05-09T10:00:00.000Z" }));

    expect(targeted.route).toBe("targeted");
    expect(targeted.merged).toEqual([id]);
    expect(targeted.deals.every((d) => d.reason === "targeted")).toBe(true);
  });

  it("reports a projection that failed and keeps the graph write", async () => {
    const { pipeline, store, projector } = pipelineWith();
    projector.failWith = new Error("postgres is down");
    const result = await pipeline.process(envelope());

    expect(result.status).toBe("processed");
    expect(result.projection).toMatchObject({ status: "failed", error: "postgres is down" });
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: "projection_failed", stage: "project" }));
    expect(store.interactions.size).toBe(1);
  });

  it("fails the envelope, writing nothing, when a deal changed between read and write", async () => {
    const { pipeline, store } = pipelineWith();
    const first = await pipeline.process(envelope());
    const id = first.created[0] ?? "";
    // The pipeline reads version 1 while a concurrent worker has already written version 7.
    const find = store.findCandidates.bind(store);
    store.findCandidates = async (tenantId, accountId, queries) =>
      (await find(tenantId, accountId, queries)).map((found) => ({
        ...found,
        records: new Map([...found.records].map(([dealId, record]) => [dealId, { ...record, version_number: 1 }])),
      }));
    const stored = store.deals.get(id);
    if (stored) stored.properties.version_number = 7;

    const later = envelope({ timestamp: "2026-05-08T10:00:00.000Z" });
    await expect(pipeline.process(later)).rejects.toBeInstanceOf(ConflictError);
    expect(store.interactions.has(later.interaction_id)).toBe(false);
    expect(store.deals.get(id)?.properties.version_number).toBe(7);
  });
});
