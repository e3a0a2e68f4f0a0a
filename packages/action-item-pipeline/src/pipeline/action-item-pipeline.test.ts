import { randomUUID } from "node:crypto";
import { exampleEnvelope, type AcceptedEnvelope } from "@dealgraph/contracts";
import { ConflictError } from "@dealgraph/errors";
import type { InteractionFacts } from "@dealgraph/graph";
import { cosineSimilarity } from "@dealgraph/llm";
import type { CandidateQuery, CandidateResult } from "@dealgraph/matching";
import { offlineStageDeps, type InProjection } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Transaction } from "kysely";
import { itemProperties } from "../domain/item-record";
import { topicProperties } from "../domain/topic-record";
import type { ItemProjectionSource, StoredNode } from "../graph/action-item-graph-repository";
import type { ItemProjectionCounts } from "../projection/item-projection-repository";
import { ActionItemPipeline } from "./action-item-pipeline";
import type { ActionItemGraphStore, ActionItemIds, ActionItemProjector, ActionItemWrite } from "./action-item-ports";

/*
 * process() against in-memory ports: the frame's paths and the action-item stages (create,
 * a later report on the same commitment, owners, topics), with the offline model and no service
 * running. The same behaviours against Neo4j and Postgres are in test/integration.
 */

type Node = { properties: Record<string, unknown>; embedding: number[] };

/** Nodes as the projection takes them (no history kept here). */
const projected = (nodes: Map<string, Node>, ids: readonly string[]): StoredNode[] =>
  ids.map((id) => ({
    properties: { ...nodes.get(id)?.properties },
    embedding: nodes.get(id)?.embedding ?? null,
    embeddingCurrent: null,
    versions: [],
    links: [],
    owners: [],
  }));

class InMemoryActionItemStore implements ActionItemGraphStore {
  readonly items = new Map<string, Node>();
  readonly topics = new Map<string, Node>();
  readonly owners = new Set<string>();
  readonly interactions = new Map<string, { linked: ActionItemIds; outcome: unknown }>();
  readonly writes: Array<ActionItemWrite | null> = [];

  readState(facts: InteractionFacts, _envelope: AcceptedEnvelope) {
    const open = [...this.items.values()].filter((i) => i.properties.account_id === facts.accountId && i.properties.status !== "done");
    return Promise.resolve({
      applied: this.interactions.has(facts.interactionId),
      knownItems: open.map((i) => ({ text: String(i.properties.text), owner_name: (i.properties.owner_name as string | null) ?? null })),
    });
  }

  readApplied(_tenantId: string, interactionId: string) {
    const applied = this.interactions.get(interactionId);
    const linked = applied?.linked ?? { items: [], topics: [] };
    return Promise.resolve({ linked, count: linked.items.length, outcome: applied?.outcome ?? null });
  }

  write(facts: InteractionFacts, planned: ActionItemWrite | null, stamp: { count: number; outcome: unknown }): Promise<ItemProjectionSource> {
    this.writes.push(planned);
    for (const merge of [...(planned?.itemMerges ?? [])]) {
      if (this.items.get(merge.record.actionItemId)?.properties.version_number !== merge.baseVersion) return Promise.reject(new ConflictError("item changed"));
    }
    for (const owner of planned?.owners ?? []) this.owners.add(owner);
    for (const t of planned?.topicCreates ?? []) this.topics.set(t.record.topicId, { properties: topicProperties(t.record), embedding: t.embedding });
    for (const t of planned?.topicMerges ?? []) this.replace(this.topics, t.record.topicId, topicProperties(t.record));
    for (const i of planned?.itemCreates ?? []) this.items.set(i.record.actionItemId, { properties: itemProperties(i.record), embedding: i.embedding });
    for (const i of planned?.itemMerges ?? []) this.replace(this.items, i.record.actionItemId, itemProperties(i.record));
    const linked = {
      items: [...(planned?.itemCreates ?? []).map((c) => c.record.actionItemId), ...(planned?.itemMerges ?? []).map((m) => m.record.actionItemId)],
      topics: [...(planned?.topicCreates ?? []).map((c) => c.record.topicId), ...(planned?.topicMerges ?? []).map((m) => m.record.topicId)],
    };
    this.interactions.set(facts.interactionId, { linked, outcome: stamp.outcome });
    return Promise.resolve({ interaction: null, items: projected(this.items, linked.items), topics: projected(this.topics, linked.topics) });
  }

  findCandidates(_tenantId: string, accountId: string, queries: { items: readonly CandidateQuery[]; topics: readonly CandidateQuery[] }) {
    const search = <T>(target: "action_item" | "topic", list: readonly CandidateQuery[], record: (n: Node) => T): Array<CandidateResult<T>> => {
      const nodes = [...(target === "topic" ? this.topics : this.items).values()].filter((n) => n.properties.account_id === accountId);
      const idOf = (n: Node) => String(n.properties[target === "topic" ? "topic_id" : "action_item_id"]);
      const keyOf = (n: Node) => n.properties[target === "topic" ? "normalized_name" : "normalized_text"];
      return list.map((query) => ({
        exactMatchId: nodes.find((n) => keyOf(n) === query.key) ? idOf(nodes.find((n) => keyOf(n) === query.key) as Node) : null,
        hits: nodes.map((n) => ({ id: idOf(n), score: cosineSimilarity(query.embedding, n.embedding), embedding: "original" as const })),
        texts: new Map(nodes.map((n) => [idOf(n), String(n.properties.text ?? n.properties.name)])),
        records: new Map(nodes.map((n) => [idOf(n), record(n)])),
      }));
    };
    return Promise.resolve({
      items: search("action_item", queries.items, (n) => ({
        item: { ...n.properties },
        topic: { ...this.topics.get(String(n.properties.topic_id))?.properties },
      })),
      topics: search("topic", queries.topics, (n) => ({ ...n.properties })),
    });
  }

  private replace(nodes: Map<string, Node>, id: string, properties: Record<string, unknown>) {
    const node = nodes.get(id);
    if (node) node.properties = properties;
  }
}

class RecordingProjector implements ActionItemProjector {
  readonly calls: Array<ActionItemIds | null> = [];
  /** Stands in for the projection's transaction handed to the caller's work. */
  readonly transaction = {} as Transaction<Database>;
  async project(
    _tenantId: string,
    _interactionId: string,
    linked: ActionItemIds | null,
    alongside?: InProjection<ItemProjectionCounts>,
  ): Promise<ItemProjectionCounts> {
    this.calls.push(linked);
    const counts = {
      owners: 0,
      topics: 0,
      topic_versions: 0,
      action_items: linked?.items.length ?? 0,
      action_item_versions: 0,
      interaction_links: 0,
      interactions: 1,
    };
    await alongside?.(this.transaction, counts);
    return counts;
  }

  projectWritten(tenantId: string, written: ItemProjectionSource, alongside?: InProjection<ItemProjectionCounts>): Promise<ItemProjectionCounts> {
    const ids = (nodes: StoredNode[], key: string) => nodes.map((n) => String(n.properties[key]));
    return this.project(tenantId, "", { items: ids(written.items, "action_item_id"), topics: ids(written.topics, "topic_id") }, alongside);
  }
}

const FOLLOW_UP_CALL = `Dana (Acme): Thanks for joining today, this was useful for the whole team.
Sam (Vendor): I'll send the order form by Friday.
Dana (Acme): And I will share our security questionnaire tomorrow.`;

const envelope = (overrides: Partial<AcceptedEnvelope> = {}) =>
  exampleEnvelope({
    tenant_id: "00000000-0000-4000-8000-000000000002",
    account_id: "acct-acme",
    interaction_id: randomUUID(),
    content: { text: FOLLOW_UP_CALL, format: "plain" },
    timestamp: "2026-05-01T10:00:00.000Z",
    ...overrides,
  });

function pipelineWith() {
  const store = new InMemoryActionItemStore();
  const projector = new RecordingProjector();
  const pipeline = new ActionItemPipeline({
    store,
    projector,
    ...offlineStageDeps(),
  });
  return { pipeline, store, projector };
}

describe("ActionItemPipeline.process with in-memory ports", () => {
  it("creates one item per commitment, with its owner and topic, and projects exactly those", async () => {
    const { pipeline, store, projector } = pipelineWith();
    const result = await pipeline.process(envelope());

    expect(result.status).toBe("processed");
    expect(result.created).toHaveLength(2);
    expect([...store.items.values()].map((i) => [i.properties.owner_name, i.properties.status]).sort()).toEqual([
      ["Dana", "open"],
      ["Sam", "open"],
    ]);
    expect([...store.owners].sort()).toEqual(["Dana", "Sam"]);
    expect(result.topics.created.length).toBeGreaterThan(0);
    expect(projector.calls).toEqual([{ items: result.created, topics: result.topics.created }]);
  });

  it("hands the caller's work to the projection's transaction with the result as it is then reported", async () => {
    const { pipeline, projector } = pipelineWith();
    const seen: Array<{ trx: unknown; status: string; projection: string; created: readonly string[] }> = [];
    const result = await pipeline.process(envelope(), (trx, inProjection) => {
      seen.push({ trx, status: inProjection.status, projection: inProjection.projection.status, created: inProjection.created });
      return Promise.resolve();
    });
    expect(seen).toEqual([{ trx: projector.transaction, status: "processed", projection: "projected", created: result.created }]);
    expect(result.projection).toEqual({ status: "projected", counts: expect.objectContaining({ action_items: 2 }) });
  });

  it("replays without a model call or a write and reports the first run's outcome", async () => {
    const { pipeline, store } = pipelineWith();
    const call = envelope();
    const first = await pipeline.process(call);
    const replay = await pipeline.process(call);

    expect(replay.status).toBe("already_applied");
    expect(replay.llm.calls).toBe(0);
    expect({ created: replay.created, topics: replay.topics, itemCount: replay.itemCount }).toEqual({
      created: first.created,
      topics: first.topics,
      itemCount: first.itemCount,
    });
    expect(store.writes).toHaveLength(1);
  });

  it("files a later report on the same commitment under the stored item instead of creating another", async () => {
    const { pipeline, store } = pipelineWith();
    const first = await pipeline.process(envelope());
    const later = await pipeline.process(envelope({ timestamp: "2026-05-03T10:00:00.000Z" }));

    expect(later.created).toEqual([]);
    expect([...later.updated, ...later.mentioned].sort()).toEqual([...first.created].sort());
    expect(store.items.size).toBe(2);
  });

  it("takes an envelope without an account, matching among the tenant's account-less items", async () => {
    const { pipeline } = pipelineWith();
    const result = await pipeline.process(envelope({ account_id: undefined }));

    expect(result.accountId).toBeNull();
    expect(result.created).toHaveLength(2);
  });

  it("stamps a too-short transcript with nothing and warns, without calling the model", async () => {
    const { pipeline, store, projector } = pipelineWith();
    const result = await pipeline.process(envelope({ content: { text: "call you later", format: "plain" } }));

    expect(result.status).toBe("skipped");
    expect(result.llm.calls).toBe(0);
    expect(result.warnings).toEqual([expect.objectContaining({ code: "too_short" })]);
    expect(store.writes).toEqual([null]);
    expect(projector.calls).toEqual([{ items: [], topics: [] }]);
  });
});
