import type { ActionItemPipeline, ActionItemPipelineResult } from "@dealgraph/action-item-pipeline";
import type { GraphClient } from "@dealgraph/graph";
import { normalizeKey } from "@dealgraph/matching";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { accepted, actionItemPipeline, corpusInFreshTenants, withoutWriteTimes, deleteTenantData, type FreshCorpus } from "../support/pipelines";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * The sample corpus through the action-item pipeline, in timestamp order, against the real AI
 * graph and Postgres: owners and topics for every item, the manifest's cross-call items merged
 * with a version history, graph and projection in agreement, and replay.
 */

const config = testConfig();
let graph: GraphClient;
let db: Kysely<Database>;
let pipeline: ActionItemPipeline;
let corpus: FreshCorpus;
const results = new Map<string, ActionItemPipelineResult>();

interface GraphItem {
  id: string;
  account: string;
  properties: Record<string, unknown>;
  topics: string[];
  owners: Array<{ owner_id: string; normalized_name: string }>;
  versions: Array<{ version_number: number; change_source_interaction_id: string; status: string }>;
  links: Array<{ interaction: string; relation: string }>;
}

async function graphItems(tenantId: string): Promise<GraphItem[]> {
  return graph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (n:ActionItem {tenant_id: $tenantId})
       RETURN n.action_item_id AS id, n.account_id AS account, n {.*, embedding: null, embedding_current: null} AS properties,
              COLLECT { MATCH (n)-[:BELONGS_TO]->(t:Topic) RETURN t.topic_id } AS topics,
              COLLECT { MATCH (n)-[:OWNED_BY]->(o:Owner) RETURN o {.owner_id, .normalized_name} } AS owners,
              COLLECT { MATCH (n)-[:HAS_VERSION]->(v:ActionItemVersion) RETURN v {.version_number, .change_source_interaction_id, .status} ORDER BY v.version_number } AS versions,
              COLLECT { MATCH (n)-[r:EXTRACTED_FROM]->(i:Interaction) RETURN {interaction: i.interaction_id, relation: r.relation} ORDER BY i.interaction_id } AS links
       ORDER BY id`,
      { tenantId },
    );
    return result.records.map((r) => r.toObject() as GraphItem);
  });
}

async function graphTopics(tenantId: string) {
  return graph.read(async (tx) => {
    const result = await tx.run(
      `MATCH (t:Topic {tenant_id: $tenantId})
       RETURN t.topic_id AS id, t.name AS name, t.summary AS summary, t.version_number AS version,
              COLLECT { MATCH (t)-[:HAS_VERSION]->(v:TopicVersion) RETURN v.version_number ORDER BY v.version_number } AS versions
       ORDER BY id`,
      { tenantId },
    );
    return result.records.map((r) => r.toObject() as { id: string; name: string; summary: string; version: number; versions: number[] });
  });
}

async function projection(tenantId: string) {
  return withTenant(db, tenantId, async (trx) => ({
    items: await trx.selectFrom("action_items").selectAll().orderBy("action_item_id").execute(),
    itemVersions: await trx.selectFrom("action_item_versions").selectAll().orderBy("action_item_id").orderBy("version_number").execute(),
    topics: await trx.selectFrom("topics").selectAll().orderBy("topic_id").execute(),
    topicVersions: await trx.selectFrom("topic_versions").selectAll().orderBy("topic_id").orderBy("version_number").execute(),
    owners: await trx.selectFrom("owners").selectAll().orderBy("owner_id").execute(),
    links: await trx.selectFrom("interaction_links").selectAll().orderBy("interaction_id").orderBy("entity_id").execute(),
    interactions: await trx.selectFrom("interactions").selectAll().orderBy("interaction_id").execute(),
  }));
}

const entryNamed = (prefix: string) => corpus.entry(prefix);
const interactionOf = (prefix: string) => corpus.interactionOf(prefix);
const tenantA = () => corpus.tenants.A ?? "";
const tenantB = () => corpus.tenants.B ?? "";
const words = (text: string) => new Set(normalizeKey(text).split(" "));

/**
 * "case study: promised in 01, reported sent in 02" → the subject, the calls that mention it,
 * and the status its last clause reports.
 */
function crossCallExpectation(line: string) {
  const [subject = "", story = ""] = line.split(/:\s*/, 2);
  const calls = [...story.matchAll(/\b(\d{2})\b/g)].map((m) => `northwind-${m[1]}`);
  const last = story.split(",").at(-1) ?? "";
  const status = /\bstill\b|\bowed?\b/.test(last) ? "open" : /\bstarted\b/.test(last) ? "in_progress" : "done";
  return { subject, calls, status };
}

beforeAll(async () => {
  await migratedPostgres(config);
  graph = await connectGraph(config, "action_items");
  db = createDatabase({ url: config.postgres.url, applicationName: "action-item-corpus-test" });
  pipeline = actionItemPipeline(config, graph, db);
  corpus = await corpusInFreshTenants();
  for (const entry of corpus.entries) results.set(entry.name, await pipeline.process(accepted(entry.envelope)));
});

afterAll(async () => {
  await deleteTenantData(config, [graph], Object.values(corpus?.tenants ?? {}));
  await Promise.all([graph.close(), db.destroy()]);
});

describe("the action-item pipeline over the sample corpus", () => {
  it("processes every envelope without errors and projects each", () => {
    for (const [name, result] of results) {
      expect({ name, status: result.status, errors: result.errors, projection: result.projection.status }).toEqual({
        name,
        status: "processed",
        errors: [],
        projection: "projected",
      });
      expect(result.llm.sequentialRounds).toBeLessThanOrEqual(4);
    }
  });

  it("files every item under exactly one topic and links every named owner", async () => {
    for (const tenantId of [tenantA(), tenantB()]) {
      const items = await graphItems(tenantId);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect({ text: item.properties.text, topics: item.topics.length }).toEqual({ text: item.properties.text, topics: 1 });
        const ownerName = item.properties.owner_name;
        if (typeof ownerName === "string") expect(item.owners.map((o) => o.normalized_name)).toEqual([normalizeKey(ownerName)]);
        else expect(item.owners).toEqual([]);
      }
      expect(items.filter((i) => i.owners.length === 1).length / items.length).toBeGreaterThan(0.9);
    }
  });

  it("ends each cross-call item of the manifest as one item with a version history", async () => {
    const lines = (corpus.expected["A/acct-northwind"] as { action_items_merged_across_calls: string[] }).action_items_merged_across_calls;
    expect(lines.length).toBeGreaterThan(0);
    const items = (await graphItems(tenantA())).filter((i) => i.account === "acct-northwind");
    for (const line of lines) {
      const { subject, calls, status } = crossCallExpectation(line);
      const [first = "", later = ""] = calls;
      const about = items.filter((i) => [...words(subject)].every((w) => words(String(i.properties.text)).has(w)));
      const spanning = about.filter(
        (i) => i.links.some((l) => l.interaction === interactionOf(later)) && i.links.some((l) => l.interaction === interactionOf(first)),
      );
      expect({ line, spanning: spanning.length }).toEqual({ line, spanning: 1 });
      const item = spanning[0];
      expect({ line, links: item?.links }).toEqual({
        line,
        links: expect.arrayContaining([
          { interaction: interactionOf(first), relation: "created" },
          { interaction: interactionOf(later), relation: "updated" },
        ]),
      });
      expect({ line, status: item?.properties.status }).toEqual({ line, status });
      expect(item?.versions.map((v) => v.change_source_interaction_id)).toContain(interactionOf(later));
      // No duplicate: the later call created nothing about the same subject.
      const duplicates = about.filter((i) => i.links.some((l) => l.interaction === interactionOf(later) && l.relation === "created"));
      expect({ line, duplicates: duplicates.map((d) => d.properties.text) }).toEqual({ line, duplicates: [] });
    }
  });

  it("keeps topics per account, with a version each time an interaction added to one", async () => {
    const topics = await graphTopics(tenantA());
    const names = topics.map((t) => normalizeKey(t.name));
    expect(topics.length).toBeGreaterThan(0);
    for (const topic of topics) expect(topic.versions).toEqual(Array.from({ length: topic.version - 1 }, (_, i) => i + 1));
    expect(topics.some((t) => t.version > 1)).toBe(true);
    // Northwind and Harbor Dental each have their own topics, even where the names agree.
    expect(new Set(names).size).toBeLessThan(names.length);
  });

  it("agrees with Postgres item for item, version for version", async () => {
    for (const tenantId of [tenantA(), tenantB()]) {
      const items = await graphItems(tenantId);
      const rows = await projection(tenantId);
      expect(rows.items.map((r) => r.action_item_id)).toEqual(items.map((i) => i.id));
      for (const item of items) {
        const row = rows.items.find((r) => r.action_item_id === item.id);
        expect(row).toMatchObject({
          text: item.properties.text,
          status: item.properties.status,
          due_hint: item.properties.due_hint ?? null,
          owner_id: item.owners[0]?.owner_id ?? null,
          topic_id: item.topics[0],
          version: item.properties.version_number,
          account_id: item.account,
        });
        expect(row?.embedding).toHaveLength(config.embeddings.dimension);
        expect(rows.itemVersions.filter((v) => v.action_item_id === item.id).map((v) => [v.version_number, v.status])).toEqual(
          item.versions.map((v) => [v.version_number, v.status]),
        );
        const links = rows.links.filter((l) => l.entity_id === item.id).map((l) => ({ interaction: l.interaction_id, relation: l.relation }));
        expect(links.sort((x, y) => x.interaction.localeCompare(y.interaction))).toEqual(item.links);
      }
      const topics = await graphTopics(tenantId);
      expect(rows.topics.map((t) => [t.topic_id, t.name, t.summary, t.version])).toEqual(topics.map((t) => [t.id, t.name, t.summary, t.version]));
      expect(rows.topicVersions.length).toBe(topics.reduce((n, t) => n + t.versions.length, 0));
      const ownerIds = new Set(items.flatMap((i) => i.owners.map((o) => o.owner_id)));
      expect(rows.owners.map((o) => o.owner_id).sort()).toEqual([...ownerIds].sort());
      for (const entry of corpus.entries.filter((e) => e.envelope.tenant_id === tenantId)) {
        const row = rows.interactions.find((r) => r.interaction_id === entry.envelope.interaction_id);
        expect(row?.action_item_count).toBe(results.get(entry.name)?.itemCount);
        expect(row?.action_items_processed_at).toBeInstanceOf(Date);
      }
    }
  });

  it("keeps owners per tenant: the same name in another tenant is another owner", async () => {
    const ownersOf = (tenantId: string) =>
      graph.read(async (tx) =>
        (await tx.run("MATCH (o:Owner {tenant_id: $tenantId}) RETURN o.normalized_name AS name, o.owner_id AS id", { tenantId })).records.map((r) => ({
          name: String(r.get("name")),
          id: String(r.get("id")),
        })),
      );
    const a = await ownersOf(tenantA());
    const named = a[0];
    expect(named).toBeDefined();
    const envelope = accepted({
      ...entryNamed("northwind-canada").envelope,
      interaction_id: "5b1f0e2a-9c3d-4e5f-8a6b-7c8d9e0f1a2b",
      timestamp: "2026-05-01T10:00:00Z",
      content: {
        format: "diarized",
        text: `${named?.name.replace(/\b\w/g, (c) => c.toUpperCase())} (Vendor): I'll send the renewal quote to the finance team by Friday.\nAlex Moreau (Client): Thanks, that works for us.`,
      },
    });
    const result = await pipeline.process(envelope);
    expect(result.errors).toEqual([]);
    const b = await ownersOf(tenantB());
    const twin = b.find((o) => o.name === named?.name);
    expect(twin).toBeDefined();
    expect(twin?.id).not.toBe(named?.id);
    expect(await ownersOf(tenantA())).toEqual(a);
  });

  it("changes nothing when the whole series is replayed", async () => {
    const before = [await graphItems(tenantA()), await graphTopics(tenantA()), await graphItems(tenantB())];
    const rowsBefore = await projection(tenantA());
    for (const entry of corpus.entries) {
      const replay = await pipeline.process(accepted(entry.envelope));
      expect({ name: entry.name, status: replay.status, llm: replay.llm.calls }).toEqual({ name: entry.name, status: "already_applied", llm: 0 });
    }
    expect([await graphItems(tenantA()), await graphTopics(tenantA()), await graphItems(tenantB())]).toEqual(before);
    const rowsAfter = await projection(tenantA());
    for (const table of ["items", "itemVersions", "topics", "topicVersions", "owners", "links", "interactions"] as const) {
      expect({ table, rows: withoutWriteTimes<object>(rowsAfter[table]) }).toEqual({ table, rows: withoutWriteTimes<object>(rowsBefore[table]) });
    }
  });
});
