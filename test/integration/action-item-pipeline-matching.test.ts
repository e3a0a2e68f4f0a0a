import { ActionItemGraphRepository, ItemProjectionRepository } from "@dealgraph/action-item-pipeline";
import { ConflictError } from "@dealgraph/errors";
import { blankActionItem, type ExtractedActionItem } from "@dealgraph/extraction";
import type { GraphClient } from "@dealgraph/graph";
import type { MatchBatch } from "@dealgraph/llm";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { ScriptedProvider, actionItemPipeline, basis, deleteTenantData, envelopeMaker, SuiteTenants, vectorAt } from "../support/pipelines";
import { freePort } from "../support/free-port";
import { connectGraph, migratedPostgres, testConfig, withDatabase } from "../support/services";

/*
 * The action-item pipeline's matching, folding, versions and failure handling, with the model
 * scripted at the provider interface, against the real AI graph and Postgres.
 */

// The band edges under test are DESIGN's 0.70 / 0.90, whatever the configured embedding model's defaults.
const config = { ...testConfig(), actionItemMatching: { autoMerge: 0.9, askModel: 0.7 } };
const dimension = config.embeddings.dimension;
let graph: GraphClient;
let db: Kysely<Database>;
const TEXT = "Ada Park and Lee Fox went through the open items and agreed on the next steps in some detail.";

const suite = new SuiteTenants();
const tenant = () => suite.next();

const envelope = envelopeMaker(TEXT, "2026-06-01T09:00:00Z");

const item = (overrides: Partial<ExtractedActionItem> = {}): ExtractedActionItem =>
  blankActionItem({ text: "Send the pricing sheet", owner_name: "Ada Park", topic: "Pricing and proposals", confidence: 0.8, ...overrides });

async function itemsOf(tenantId: string) {
  return graph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (n:ActionItem {tenant_id: $tenantId})
       RETURN n.action_item_id AS id, n.text AS text, n.status AS status, n.due_hint AS due, n.version_number AS version,
              n.account_id AS account,
              COUNT { (n)-[:HAS_VERSION]->(:ActionItemVersion) } AS versions,
              COLLECT { MATCH (n)-[r:EXTRACTED_FROM]->(:Interaction) RETURN r.relation ORDER BY r.at } AS relations,
              COLLECT { MATCH (n)-[:OWNED_BY]->(o:Owner) RETURN o.name } AS owners
       ORDER BY n.text`,
      { tenantId },
    );
    return result.records.map((r) => r.toObject());
  });
}

beforeAll(async () => {
  await migratedPostgres(config);
  graph = await connectGraph(config, "action_items");
  db = createDatabase({ url: config.postgres.url, applicationName: "action-item-matching-test" });
});

afterAll(async () => {
  await deleteTenantData(config, [graph], suite.ids);
  await Promise.all([graph.close(), db.destroy()]);
});

describe("action-item matching at the band edges", () => {
  it.each([
    { cosine: 0.6999, action: "created", asked: 0 },
    { cosine: 0.7, action: "updated", asked: 1 },
    { cosine: 0.8999, action: "updated", asked: 1 },
    { cosine: 0.9, action: "updated", asked: 0 },
  ])("cosine $cosine: $action, the model asked $asked time(s)", async ({ cosine, action, asked }) => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.vectors.set("Send the pricing sheet", basis(0, dimension));
    provider.actionItems = [item()];
    await pipeline.process(envelope(tenantId));

    provider.vectors.set("Share the price list", vectorAt(cosine, dimension));
    provider.actionItems = [item({ text: "Share the price list", status: "done" })];
    provider.decide = (batch: MatchBatch) => ({
      decisions: batch.questions.map((q) => ({ query_id: q.query_id, match_id: q.candidates[0]?.candidate_id ?? null, confidence: 1, reason: "same" })),
    });
    provider.completions.length = 0;
    const result = await pipeline.process(envelope(tenantId));
    expect(result.items.map((i) => i.action)).toEqual([action]);
    const itemQuestions = provider.completions.filter((c) => c.task === "decide_matches" && (c.input as MatchBatch).kind === "action_item");
    expect(itemQuestions).toHaveLength(asked);
    expect(await itemsOf(tenantId)).toHaveLength(action === "created" ? 2 : 1);
  });
});

describe("items across calls", () => {
  it("versions a change of status and due date, and records a mere mention without a version", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.actionItems = [item()];
    const first = await pipeline.process(envelope(tenantId));

    provider.actionItems = [item({ due_hint: "by Friday" })];
    const second = await pipeline.process(envelope(tenantId));
    expect(second.updated).toEqual(first.created);

    provider.actionItems = [item({ status: "done" })];
    const third = await pipeline.process(envelope(tenantId));
    expect(third.updated).toEqual(first.created);

    provider.actionItems = [item()];
    const fourth = await pipeline.process(envelope(tenantId));
    expect(fourth.mentioned).toEqual(first.created);
    expect(fourth.items[0]?.action).toBe("mentioned");

    expect(await itemsOf(tenantId)).toEqual([
      expect.objectContaining({
        text: "Send the pricing sheet",
        status: "done",
        due: "by Friday",
        version: 3,
        versions: 2,
        relations: ["created", "updated", "updated", "mentioned"],
        owners: ["Ada Park"],
      }),
    ]);
    const rows = await withTenant(db, tenantId, (trx) =>
      trx
        .selectFrom("action_item_versions")
        .select(["version_number", "status", "due_hint", "changed_fields", "change_summary"])
        .orderBy("version_number")
        .execute(),
    );
    expect(rows).toEqual([
      { version_number: 1, status: "open", due_hint: null, changed_fields: ["due_hint"], change_summary: 'due: none → "by Friday".' },
      { version_number: 2, status: "open", due_hint: "by Friday", changed_fields: ["status"], change_summary: "status: open → done." },
    ]);
  });

  it("moves an item to a new owner when a later call says so", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.actionItems = [item()];
    await pipeline.process(envelope(tenantId));
    provider.actionItems = [item({ owner_name: "Lee Fox" })];
    await pipeline.process(envelope(tenantId));
    expect(await itemsOf(tenantId)).toEqual([expect.objectContaining({ owners: ["Lee Fox"], versions: 1 })]);
  });
});

describe("several items in one envelope", () => {
  it("handles two identical extracted items one by one: one item, both positions reported", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.actionItems = [item(), item()];
    const first = await pipeline.process(envelope(tenantId));
    expect(first.errors).toEqual([]);
    expect(first.created).toHaveLength(1);
    expect(first.items.map((i) => [i.index, i.action, i.reason, i.actionItemId])).toEqual([
      [0, "created", "new", first.created[0]],
      [1, "created", "same_envelope", first.created[0]],
    ]);
    provider.actionItems = [item({ status: "done" }), item({ status: "done" })];
    const second = await pipeline.process(envelope(tenantId));
    expect(second.items.map((i) => [i.index, i.action, i.reason])).toEqual([
      [0, "updated", "exact"],
      [1, "updated", "same_envelope"],
    ]);
    expect(await itemsOf(tenantId)).toEqual([expect.objectContaining({ status: "done", versions: 1 })]);
  });

  it("ends with one item when a transcript repeats the same commitment (offline provider)", async () => {
    const tenantId = tenant();
    const result = await actionItemPipeline(config, graph, db).process(
      envelope(tenantId, {
        content: {
          format: "diarized",
          text: [
            "Ada Park (Vendor Co): I'll send the rollout checklist to your team by Thursday.",
            "Lee Fox (Client Ltd): Great, thanks.",
            "Ada Park (Vendor Co): So again, I'll send the rollout checklist to your team by Thursday.",
          ].join("\n"),
        },
      }),
    );
    expect(result.errors).toEqual([]);
    expect(await itemsOf(tenantId)).toEqual([expect.objectContaining({ text: "Send the rollout checklist to your team", owners: ["Ada Park"] })]);
  });

  it("keeps going when one item fails: the error names its position, the others complete", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.actionItems = [item()];
    const first = await pipeline.process(envelope(tenantId));
    await graph.write((tx) => tx.run("MATCH (n:ActionItem {tenant_id: $tenantId}) REMOVE n.status", { tenantId }));
    provider.actionItems = [item({ status: "done" }), item({ text: "Book the kickoff meeting", topic: "Meetings and follow-ups" })];
    const result = await pipeline.process(envelope(tenantId));
    expect(result.errors).toEqual([
      { index: 0, stage: "match", message: expect.stringMatching(new RegExp(`ActionItem ${String(first.created[0])} is unreadable: status:`)) },
    ]);
    expect(result.items).toEqual([expect.objectContaining({ index: 1, action: "created", text: "Book the kickoff meeting" })]);
  });

  it("calls the model the same number of times for 3 items as for 12, at most four rounds", async () => {
    const run = async (perKind: number) => {
      const tenantId = tenant();
      const provider = new ScriptedProvider(dimension);
      const pipeline = actionItemPipeline(config, graph, db, provider);
      const stored = Array.from({ length: 2 * perKind }, (_, i) => item({ text: `Prepare deliverable number ${i}`, topic: `Workstream ${i % 2}` }));
      stored.forEach((s, i) => provider.vectors.set(s.text, basis(10 + i, dimension)));
      provider.actionItems = stored;
      await pipeline.process(envelope(tenantId));
      const reworded = stored.slice(perKind).map((s, i) => {
        const text = `Finish deliverable ${perKind + i} for the buyer`;
        const axis = 10 + perKind + i;
        provider.vectors.set(
          text,
          Array.from({ length: dimension }, (_, d) => (d === axis ? 0.8 : d === 1 ? 0.6 : 0)),
        );
        return item({ text, topic: s.topic, status: "done" });
      });
      provider.actionItems = [
        ...stored.slice(0, perKind).map((s) => ({ ...s, status: "in_progress" as const })),
        ...reworded,
        ...Array.from({ length: 2 * perKind }, (_, i) => item({ text: `Brand new commitment ${i}`, topic: `New area ${i % 3}` })),
      ];
      provider.decide = (batch: MatchBatch) => ({
        decisions: batch.questions.map((q) => ({
          query_id: q.query_id,
          match_id: batch.kind === "action_item" ? (q.candidates[0]?.candidate_id ?? null) : null,
          confidence: 1,
          reason: "scripted",
        })),
      });
      provider.completions.length = 0;
      const result = await pipeline.process(envelope(tenantId));
      expect(result.errors).toEqual([]);
      expect({ created: result.created.length, updated: result.updated.length }).toEqual({ created: 2 * perKind, updated: 2 * perKind });
      return { rounds: result.llm.sequentialRounds, byTask: result.llm.byTask };
    };
    const small = await run(1);
    const large = await run(4);
    expect(large).toEqual(small);
    expect(small.rounds).toBeLessThanOrEqual(4);
    expect(small.byTask.extract_action_items).toBe(1);
  });
});

describe("envelopes and failures", () => {
  it("matches the items of an envelope without account_id among the tenant's account-less items", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.actionItems = [item()];
    const { account_id: _a, ...noAccount } = envelope(tenantId);
    const first = await pipeline.process(noAccount);
    const second = await pipeline.process({ ...envelope(tenantId), account_id: undefined });
    expect(first.accountId).toBeNull();
    expect(second.mentioned).toEqual(first.created);
    await pipeline.process(envelope(tenantId, { account_id: "acct-1" }));
    expect((await itemsOf(tenantId)).map((i) => i.account).sort()).toEqual(["(no account)", "acct-1"]);
    const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom("action_items").select("account_id").orderBy("account_id").execute());
    expect(rows.map((r) => r.account_id)).toEqual(["acct-1", null]);
  });

  it("reports a projection failure without failing the graph write; a replay projects it", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    provider.actionItems = [item()];
    const deadDb = createDatabase({ url: withDatabase(config.postgres.url.replace(/:\d+\//, `:${await freePort()}/`), "dealgraph") });
    const sent = envelope(tenantId);
    const first = await actionItemPipeline(config, graph, deadDb, provider).process(sent);
    await deadDb.destroy();
    expect(first.status).toBe("processed");
    expect(first.projection).toEqual({ status: "failed", error: expect.any(String), retryable: true });
    expect(await itemsOf(tenantId)).toHaveLength(1);
    const again = await actionItemPipeline(config, graph, db, provider).process(sent);
    expect(again.status).toBe("already_applied");
    // The replay reports what the first run did, not an empty outcome.
    expect({ created: again.created, updated: again.updated, mentioned: again.mentioned, topics: again.topics }).toEqual({
      created: first.created,
      updated: first.updated,
      mentioned: first.mentioned,
      topics: first.topics,
    });
    expect(first.created).toHaveLength(1);
    const rows = await withTenant(db, tenantId, (trx) => trx.selectFrom("action_items").select("action_item_id").execute());
    expect(rows).toEqual([{ action_item_id: first.created[0] }]);
  });
});

describe("the projection's version guard", () => {
  it("leaves a newer projected item alone when an older snapshot of it is projected late", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    provider.actionItems = [item()];
    const first = await pipeline.process(envelope(tenantId));
    const id = first.created[0]!;
    const topicId = first.topics.created[0]!;
    const older = await graph.read((tx) => new ActionItemGraphRepository().readForProjection(tx, tenantId, { items: [id], topics: [topicId] }));

    provider.actionItems = [item({ status: "done", due_hint: "by Friday" })];
    const second = await pipeline.process(envelope(tenantId));
    expect(second.updated).toEqual([id]);
    const rows = () =>
      withTenant(db, tenantId, async (trx) => ({
        item: await trx.selectFrom("action_items").select(["status", "due_hint", "version"]).where("action_item_id", "=", id).executeTakeFirstOrThrow(),
        topic: await trx.selectFrom("topics").selectAll().where("topic_id", "=", topicId).executeTakeFirstOrThrow(),
      }));
    const newer = await rows();
    expect(newer.item).toEqual({ status: "done", due_hint: "by Friday", version: 2 });
    expect(older.items[0]?.properties.version_number).toBe(1);

    // A projection retry holding the first snapshot lands after the second run's projection.
    await new ItemProjectionRepository(db).project({ tenantId, interaction: null, items: older.items, topics: older.topics });
    expect(await rows()).toEqual(newer);
  });
});

describe("two runs merging into one item at once", () => {
  it("lets the second writer fail with a retryable ConflictError, writing nothing, and its retry merges on the new version", async () => {
    const tenantId = tenant();
    const provider = new ScriptedProvider(dimension);
    const pipeline = actionItemPipeline(config, graph, db, provider);
    const revised = "Send the revised pricing sheet together with the signed order form";
    provider.vectors.set("Send the pricing sheet", basis(0, dimension));
    provider.vectors.set(revised, basis(0, dimension));
    provider.actionItems = [item()];
    const first = await pipeline.process(envelope(tenantId));
    const id = first.created[0]!;

    // The late run reads version 1 and is held at its re-embedding (after every read, before the
    // write) while another run merges into the same item.
    let reached: () => void = () => undefined;
    const atReembed = new Promise<void>((resolve) => (reached = resolve));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const embed = provider.embed.bind(provider);
    let lateEmbeddings = 0;
    provider.embed = async (texts: readonly string[]) => {
      if (texts.includes(revised) && ++lateEmbeddings === 2) {
        reached();
        await held;
      }
      return embed(texts);
    };
    provider.actionItems = [item({ text: revised })];
    const lateEnvelope = envelope(tenantId);
    const late = pipeline.process(lateEnvelope);
    await atReembed;
    provider.actionItems = [item({ status: "done" })];
    const onTime = await pipeline.process(envelope(tenantId));
    expect(onTime.updated).toEqual([id]);
    release();
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toMatchObject({ retryable: true });
    expect(await itemsOf(tenantId)).toEqual([expect.objectContaining({ id, text: "Send the pricing sheet", status: "done", version: 2, versions: 1 })]);
    const lateWrote = await graph.read(async (tx) =>
      (
        await tx.run("MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId}) RETURN count(i) AS n", {
          tenantId,
          interactionId: lateEnvelope.interaction_id,
        })
      ).records[0]?.get("n"),
    );
    expect(lateWrote).toBe(0);

    // The worker's retry: fresh reads, a merge on version 2 that keeps the status another call set.
    provider.actionItems = [item({ text: revised })];
    const retried = await pipeline.process(lateEnvelope);
    expect(retried.updated).toEqual([id]);
    expect(await itemsOf(tenantId)).toEqual([expect.objectContaining({ id, text: revised, status: "done", version: 3, versions: 2 })]);
  });
});
