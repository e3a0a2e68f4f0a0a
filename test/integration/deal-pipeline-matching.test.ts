import { mintEntityId } from "@dealgraph/contracts";
import { DealGraphRepository, DealProjectionRepository, type DealPipelineResult } from "@dealgraph/deal-pipeline";
import { ConflictError, ValidationError } from "@dealgraph/errors";
import type { ExtractedDeal } from "@dealgraph/extraction";
import type { GraphClient } from "@dealgraph/graph";
import type { InteractionText, MatchBatch } from "@dealgraph/llm";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { ScriptedProvider, basis, dealPipeline, deleteTenantData, envelopeMaker, SuiteTenants, extractedDeal, vectorAt } from "../support/pipelines";
import { freePort } from "../support/free-port";
import { connectGraph, migratedPostgres, testConfig, withDatabase } from "../support/services";

/*
 * The deal pipeline's matching, folding, routing and failure handling, with the model scripted
 * at the provider interface (extraction, embeddings and middle-band decisions chosen by each
 * test) against the real deal graph and Postgres.
 */

// The band edges under test are DESIGN's 0.70 / 0.90, whatever the configured embedding model's defaults.
const config = { ...testConfig(), dealMatching: { autoMerge: 0.9, askModel: 0.7 } };
const dimension = config.embeddings.dimension;
let graph: GraphClient;
let db: Kysely<Database>;
const TEXT = "Seller and buyer talked through the offering, its price and the next steps in some detail.";

const suite = new SuiteTenants();
const tenant = () => suite.next();

const envelope = envelopeMaker(TEXT, "2026-05-01T09:00:00Z");

const textOf = (deal: ExtractedDeal) => `${deal.name}: ${deal.summary}`;
const alpha = extractedDeal({ name: "Alpha offering", summary: "The buyer is considering the alpha offering." });
const beta = extractedDeal({ name: "Beta subscription", summary: "The buyer asked about a beta subscription." });

/** A provider whose first stored deal embeds to basis(0). */
function scripted(): ScriptedProvider {
  const provider = new ScriptedProvider(dimension);
  provider.vectors.set(textOf(alpha), basis(0, dimension));
  return provider;
}

const mergeIntoFirstCandidate = (batch: MatchBatch) => ({
  decisions: batch.questions.map((q) => ({ query_id: q.query_id, match_id: q.candidates[0]?.candidate_id ?? null, confidence: 0.9, reason: "same" })),
});

async function dealsOf(tenantId: string) {
  return graph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (d:Deal {tenant_id: $tenantId})
       RETURN d.opportunity_id AS id, d.name AS name, d.version_number AS version, d.account_id AS account,
              COUNT { (d)-[:HAS_VERSION]->(:DealVersion) } AS versions
       ORDER BY d.name`,
      { tenantId },
    );
    return result.records.map((r) => r.toObject() as { id: string; name: string; version: number; account: string; versions: number });
  });
}

async function interactionExists(tenantId: string, interactionId: string): Promise<boolean> {
  return graph.read(async (tx) => {
    const result = await tx.run("MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId}) RETURN count(i) AS n", {
      tenantId,
      interactionId,
    });
    return result.records[0]?.get("n") === 1;
  });
}

beforeAll(async () => {
  await migratedPostgres(config);
  graph = await connectGraph(config, "deals");
  db = createDatabase({ url: config.postgres.url, applicationName: "deal-pipeline-matching-test" });
});

afterAll(async () => {
  await deleteTenantData(config, [graph], suite.ids);
  await Promise.all([graph.close(), db.destroy()]);
});

describe("matching at the band edges (thresholds 0.70 and 0.90)", () => {
  it.each([
    { cosine: 0.6999, outcome: "created", reason: "new", asked: 0 },
    { cosine: 0.7, outcome: "merged", reason: "model", asked: 1 },
    { cosine: 0.8999, outcome: "merged", reason: "model", asked: 1 },
    { cosine: 0.9, outcome: "merged", reason: "high_similarity", asked: 0 },
  ])("cosine $cosine: $outcome ($reason), the model asked $asked time(s)", async ({ cosine, outcome, reason, asked }) => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha];
    const first = await pipeline.process(envelope(tenantId));
    const storedId = first.created[0];

    provider.deals = [beta];
    provider.vectors.set(textOf(beta), vectorAt(cosine, dimension));
    provider.decide = mergeIntoFirstCandidate;
    const second = await pipeline.process(envelope(tenantId));

    expect(second.deals).toEqual([expect.objectContaining({ index: 0, action: outcome, reason })]);
    const questions = provider.completions.filter((c) => c.task === "decide_matches");
    expect(questions).toHaveLength(asked);
    if (asked > 0) {
      expect((questions[0]?.input as MatchBatch).questions).toEqual([
        { query_id: "deal-0", text: textOf(beta), candidates: [{ candidate_id: storedId, text: textOf(alpha) }] },
      ]);
    }
    const deals = await dealsOf(tenantId);
    expect(deals).toHaveLength(outcome === "created" ? 2 : 1);
    if (outcome === "merged") expect(deals[0]).toMatchObject({ id: storedId, name: "Alpha offering", version: 2, versions: 1 });
  });

  it("re-embeds embedding_current only when the summary changed materially, and never the original", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha];
    const { created } = await pipeline.process(envelope(tenantId));
    const vectors = async () =>
      graph.read(async (tx) => {
        const result = await tx.run(
          "MATCH (d:Deal {tenant_id: $tenantId}) RETURN d.embedding AS original, d.embedding_current AS current, d.embedding_revised AS revised",
          { tenantId },
        );
        return result.records[0]?.toObject() as { original: number[]; current: number[]; revised: boolean };
      });

    // The same summary again: one embedding batch (the match), embedding_current kept.
    provider.embeddings.length = 0;
    await pipeline.process(envelope(tenantId));
    expect(provider.embeddings).toEqual([[textOf(alpha)]]);
    expect(await vectors()).toEqual({ original: basis(0, dimension), current: basis(0, dimension), revised: false });

    // A new summary: a second batch embeds the deal as it now stands.
    const changed = { ...alpha, summary: "Pricing for the alpha offering was agreed and a contract is being drafted." };
    const current = basis(7, dimension);
    provider.vectors.set(`Alpha offering: ${changed.summary}`, current);
    provider.deals = [changed];
    provider.embeddings.length = 0;
    const result = await pipeline.process(envelope(tenantId));
    expect(result.merged).toEqual(created);
    expect(provider.embeddings).toEqual([[textOf(changed)], [`Alpha offering: ${changed.summary}`]]);
    expect(await vectors()).toEqual({ original: basis(0, dimension), current, revised: true });
  });

  it("creates a new deal when the model answers 'new' in the middle band", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha];
    await pipeline.process(envelope(tenantId));
    provider.deals = [beta];
    provider.vectors.set(textOf(beta), vectorAt(0.8, dimension));
    const result = await pipeline.process(envelope(tenantId));
    expect(provider.tasks()).toContain("decide_matches");
    expect(result.created).toHaveLength(1);
    // The merge narrative prepared while the model decided is not written.
    expect((await dealsOf(tenantId)).map((d) => [d.name, d.version, d.versions])).toEqual([
      ["Alpha offering", 1, 0],
      ["Beta subscription", 1, 0],
    ]);
  });

  it("never matches another account's deal, however similar", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha];
    await pipeline.process(envelope(tenantId, { account_id: "acct-1" }));
    const other = await pipeline.process(envelope(tenantId, { account_id: "acct-2" }));
    expect(other.deals).toEqual([expect.objectContaining({ action: "created", reason: "new" })]);
    expect((await dealsOf(tenantId)).map((d) => d.account).sort()).toEqual(["acct-1", "acct-2"]);
  });
});

describe("several deals in one envelope", () => {
  it("handles two identical extracted deals one by one: one deal, both positions reported", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha, { ...alpha }];
    const first = await pipeline.process(envelope(tenantId));
    expect(first.errors).toEqual([]);
    expect(first.created).toHaveLength(1);
    expect(first.deals.map((d) => [d.index, d.action, d.reason, d.opportunityId])).toEqual([
      [0, "created", "new", first.created[0]],
      [1, "created", "same_envelope", first.created[0]],
    ]);
    expect(first.dealCount).toBe(1);

    const second = await pipeline.process(envelope(tenantId));
    expect(second.merged).toEqual(first.created);
    // Discovery tells the extraction the account's open deals.
    expect((provider.completions.filter((c) => c.task === "extract_deals").at(-1)?.input as InteractionText).knownDeals).toEqual(["Alpha offering"]);
    expect(second.deals.map((d) => [d.index, d.action, d.reason])).toEqual([
      [0, "merged", "exact"],
      [1, "merged", "same_envelope"],
    ]);
    expect(await dealsOf(tenantId)).toEqual([expect.objectContaining({ version: 2, versions: 1 })]);
  });

  it("keeps going when one deal fails: the error names its position, the others complete", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha];
    const first = await pipeline.process(envelope(tenantId));
    // A stored deal that this system cannot read back (someone removed a required property).
    await graph.write((tx) => tx.run("MATCH (d:Deal {tenant_id: $tenantId}) REMOVE d.stage", { tenantId }));

    provider.deals = [alpha, beta];
    const result = await pipeline.process(envelope(tenantId));
    expect(result.status).toBe("processed");
    // The message names the node and the property that is wrong.
    expect(result.errors).toEqual([
      { index: 0, stage: "match", message: expect.stringMatching(new RegExp(`Deal ${String(first.created[0])} is unreadable: stage:`)) },
    ]);
    expect(result.deals).toEqual([expect.objectContaining({ index: 1, action: "created", name: "Beta subscription" })]);
    expect(result.dealCount).toBe(1);
    expect((await dealsOf(tenantId)).map((d) => d.name)).toEqual(["Alpha offering", "Beta subscription"]);
  });

  it("calls the model the same number of times for 3 deals as for 9", async () => {
    const run = async (perKind: number) => {
      const tenantId = tenant();
      const provider = scripted();
      const pipeline = dealPipeline(config, graph, db, provider);
      const stored = Array.from({ length: 2 * perKind }, (_, i) => extractedDeal({ name: `Stored offering ${i}`, summary: `Stored offering number ${i}.` }));
      stored.forEach((deal, i) => provider.vectors.set(textOf(deal), basis(10 + i, dimension)));
      provider.deals = stored;
      await pipeline.process(envelope(tenantId));

      // Per kind: an exact-name repeat, a middle-band rewording, and something new.
      const exact = stored.slice(0, perKind).map((deal) => ({ ...deal, summary: `${deal.summary} Discussed again.` }));
      const reworded = stored.slice(perKind).map((deal, i) => {
        const incoming = extractedDeal({ name: `Renamed offering ${i}`, summary: `A reworded offering ${i}.` });
        const axis = 10 + perKind + i;
        provider.vectors.set(
          textOf(incoming),
          Array.from({ length: dimension }, (_, d) => (d === axis ? 0.8 : d === 1 ? 0.6 : 0)),
        );
        return incoming;
      });
      const fresh = Array.from({ length: perKind }, (_, i) => extractedDeal({ name: `Fresh offering ${i}`, summary: `Something new ${i}.` }));
      fresh.forEach((deal, i) => provider.vectors.set(textOf(deal), basis(dimension - 20 + i, dimension)));
      provider.deals = [...exact, ...reworded, ...fresh];
      provider.decide = mergeIntoFirstCandidate;
      provider.completions.length = 0;
      provider.embeddings.length = 0;
      const result = await pipeline.process(envelope(tenantId));
      expect(result.errors).toEqual([]);
      expect({ created: result.created.length, merged: result.merged.length }).toEqual({ created: perKind, merged: 2 * perKind });
      return { rounds: result.llm.sequentialRounds, byTask: result.llm.byTask, write: result.timings.write !== undefined };
    };
    const small = await run(1);
    const large = await run(3);
    expect(large).toEqual(small);
    expect(small.byTask).toEqual({ extract_deals: 1, embed: 2, decide_matches: 1, synthesize_deals: 1 });
    // Extract, embed, decide while synthesising, re-embed.
    expect(small.rounds).toBe(4);
  });

  it("writes the narrative prepared for the candidate the model picks, in four rounds", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.vectors.set(textOf(beta), basis(1, dimension));
    provider.deals = [alpha, beta];
    const first = await pipeline.process(envelope(tenantId));
    const betaId = first.deals.find((d) => d.name === beta.name)?.opportunityId;

    // In the middle band for both stored deals, alpha the closer; the model picks beta.
    const incoming = extractedDeal({ name: "Subscription renewal", summary: "The buyer agreed the beta subscription price; legal review starts next week." });
    provider.vectors.set(
      textOf(incoming),
      Array.from({ length: dimension }, (_, d) => (d === 0 ? 0.71 : d === 1 ? 0.704 : 0)),
    );
    provider.deals = [incoming];
    provider.decide = (batch) => ({
      decisions: batch.questions.map((q) => ({ query_id: q.query_id, match_id: q.candidates[1]?.candidate_id ?? null, confidence: 0.8, reason: "second" })),
    });
    provider.completions.length = 0;
    const result = await pipeline.process(envelope(tenantId));

    expect(result.merged).toEqual([betaId]);
    expect(result.llm.sequentialRounds).toBe(4);
    // Both possible merges were written up while the model decided: one call, both deals.
    const syntheses = provider.completions.filter((c) => c.task === "synthesize_deals");
    expect(syntheses.map((c) => (c.input as Array<{ deal_id: string }>).map((r) => r.deal_id).sort())).toEqual([[first.created[0], betaId].sort()]);
    const stored = await graph.read(async (tx) => {
      const rows = await tx.run(
        "MATCH (d:Deal {tenant_id: $tenantId}) RETURN d.name AS name, d.summary AS summary, d.version_number AS version ORDER BY d.name",
        { tenantId },
      );
      return rows.records.map((r) => r.toObject());
    });
    expect(stored).toEqual([
      { name: alpha.name, summary: alpha.summary, version: 1 },
      { name: beta.name, summary: incoming.summary, version: 2 },
    ]);
  });
});

describe("targeted envelopes", () => {
  it("update exactly the deal they name", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha, beta];
    const created = await pipeline.process(envelope(tenantId));
    const betaId = created.deals.find((d) => d.name === "Beta subscription")?.opportunityId;

    provider.deals = [extractedDeal({ name: "Something else entirely", summary: "Pricing was agreed.", stage: "negotiation" })];
    const result = await pipeline.process(envelope(tenantId, { opportunity_id: betaId }));
    expect(result.route).toBe("targeted");
    expect(result.merged).toEqual([betaId]);
    expect(result.deals).toEqual([expect.objectContaining({ action: "merged", reason: "targeted", opportunityId: betaId })]);
    expect(provider.tasks()).not.toContain("decide_matches");
    // The extraction is told the deal it is about, by its stored name.
    const extraction = provider.completions.filter((c) => c.task === "extract_deals").at(-1);
    expect((extraction?.input as InteractionText).knownDeals).toEqual(["Beta subscription"]);
    const deals = await dealsOf(tenantId);
    expect(deals.map((d) => [d.name, d.version])).toEqual([
      ["Alpha offering", 1],
      ["Beta subscription", 2],
    ]);
  });

  it.each([
    ["an id no deal has", async () => mintEntityId(), "No such opportunity for this tenant"],
    [
      "another tenant's deal",
      async () => {
        const provider = scripted();
        provider.deals = [alpha];
        return (await dealPipeline(config, graph, db, provider).process(envelope(tenant()))).created[0];
      },
      "No such opportunity for this tenant",
    ],
    [
      "a deal of another account",
      async (tenantId: string) => {
        const provider = scripted();
        provider.deals = [alpha];
        return (await dealPipeline(config, graph, db, provider).process(envelope(tenantId, { account_id: "acct-other" }))).created[0];
      },
      "The opportunity belongs to another account",
    ],
  ])("refuse %s without writing anything", async (_what, target, message) => {
    const tenantId = tenant();
    const opportunityId = await target(tenantId);
    const provider = scripted();
    provider.deals = [alpha];
    const targeted = envelope(tenantId, { opportunity_id: opportunityId });
    const error = await dealPipeline(config, graph, db, provider)
      .process(targeted)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: "opportunity_id", message }]);
    expect(provider.completions).toEqual([]);
    expect(await interactionExists(tenantId, targeted.interaction_id)).toBe(false);
  });
});

describe("envelopes the pipeline cannot use as they are", () => {
  it("refuses an envelope without account_id, naming the field, and writes nothing", async () => {
    const tenantId = tenant();
    const { account_id: _omitted, ...rest } = envelope(tenantId);
    const error = await dealPipeline(config, graph, db, scripted())
      .process(rest)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: "account_id", message: "Required for the deal pipeline" }]);
    expect(await interactionExists(tenantId, rest.interaction_id)).toBe(false);
  });

  it("skips a transcript under 50 characters with a warning, recording the interaction with no deals", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const short = envelope(tenantId, { content: { text: "Call dropped.", format: "plain" } });
    const result = await dealPipeline(config, graph, db, provider).process(short);
    expect(result.status).toBe("skipped");
    expect(result.warnings[0]).toMatchObject({ code: "too_short", message: expect.stringMatching(/shorter than 50 characters/) });
    expect(provider.completions).toEqual([]);
    expect(await interactionExists(tenantId, short.interaction_id)).toBe(true);
    const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom("interactions").select(["deal_count"]).execute());
    expect(rows).toEqual([{ deal_count: 0 }]);
  });
});

describe("graph first, projection second", () => {
  it("reports a projection failure without failing the graph write; a replay projects it", async () => {
    const tenantId = tenant();
    const provider = scripted();
    provider.deals = [alpha];
    const deadDb = createDatabase({ url: withDatabase(config.postgres.url.replace(/:\d+\//, `:${await freePort()}/`), "dealgraph") });
    const sent = envelope(tenantId);
    const first: DealPipelineResult = await dealPipeline(config, graph, deadDb, provider).process(sent);
    await deadDb.destroy();
    expect(first.status).toBe("processed");
    expect(first.projection).toEqual({ status: "failed", error: expect.any(String), retryable: true });
    expect(first.warnings.some((w) => w.code === "projection_failed" && w.stage === "project")).toBe(true);
    expect(await dealsOf(tenantId)).toHaveLength(1);
    expect(await withTenant(db, tenantId, (trx) => trx.selectFrom("opportunities").select("graph_opportunity_id").execute())).toEqual([]);

    const again = await dealPipeline(config, graph, db, provider).process(sent);
    expect(again.status).toBe("already_applied");
    // The replay reports what the first run did, not an empty outcome.
    expect({ created: again.created, merged: again.merged }).toEqual({ created: first.created, merged: first.merged });
    expect(first.created).toHaveLength(1);
    expect(again.projection.status).toBe("projected");
    expect(await withTenant(db, tenantId, (trx) => trx.selectFrom("opportunities").select("graph_opportunity_id").execute())).toEqual([
      { graph_opportunity_id: first.created[0] },
    ]);
  });
});

describe("the projection's version guard", () => {
  it("leaves a newer projected deal alone when an older snapshot of it is projected late", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [{ ...alpha, amount: 100_000 }];
    const first = await pipeline.process(envelope(tenantId));
    const id = first.created[0]!;
    const repository = new DealGraphRepository();
    const older = await graph.read((tx) => repository.readForProjection(tx, tenantId, [id]));

    provider.deals = [{ ...alpha, amount: 250_000 }];
    provider.vectors.set(textOf({ ...alpha, amount: 250_000 }), basis(0, dimension));
    const second = await pipeline.process(envelope(tenantId));
    expect(second.merged).toEqual([id]);
    const row = () =>
      withTenant(db, tenantId, (trx) =>
        trx.selectFrom("opportunities").select(["ai_workflow_metadata", "extraction_version"]).where("graph_opportunity_id", "=", id).executeTakeFirstOrThrow(),
      );
    const newer = await row();
    expect(newer.extraction_version).toBe(2);
    expect(older[0]?.properties.version_number).toBe(1);

    // A projection retry holding the first snapshot lands after the second run's projection.
    await new DealProjectionRepository(db).project({ tenantId, interaction: null, deals: older });
    expect(await row()).toEqual(newer);
  });
});

describe("two runs merging into one deal at once", () => {
  it("lets the second writer fail with a retryable ConflictError, writing nothing, and its retry merges on the new version", async () => {
    const tenantId = tenant();
    const provider = scripted();
    const pipeline = dealPipeline(config, graph, db, provider);
    provider.deals = [alpha];
    const first = await pipeline.process(envelope(tenantId));
    const id = first.created[0]!;

    // The late run reads version 1 and is held before it writes, while another run merges.
    let reached: () => void = () => undefined;
    const atSynthesis = new Promise<void>((resolve) => (reached = resolve));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const complete = provider.complete.bind(provider);
    let holdNext = true;
    provider.complete = (async (task: { name: string }, input: unknown) => {
      if (task.name === "synthesize_deals" && holdNext) {
        holdNext = false;
        reached();
        await held;
      }
      return complete(task as never, input as never);
    }) as typeof provider.complete;
    const lateEnvelope = envelope(tenantId);
    const late = pipeline.process(lateEnvelope);
    await atSynthesis;
    const onTime = await pipeline.process(envelope(tenantId));
    expect(onTime.merged).toEqual([id]);
    release();
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toMatchObject({ retryable: true });
    expect(await dealsOf(tenantId)).toEqual([expect.objectContaining({ id, version: 2, versions: 1 })]);
    expect(await interactionExists(tenantId, lateEnvelope.interaction_id)).toBe(false);

    // The worker's retry: a fresh read, a merge on version 2.
    const retried = await pipeline.process(lateEnvelope);
    expect(retried.merged).toEqual([id]);
    expect(await dealsOf(tenantId)).toEqual([expect.objectContaining({ id, version: 3, versions: 2 })]);
  });
});
