import { actionItemPipelineOn, type ActionItemPipeline } from "@dealgraph/action-item-pipeline";
import type { Config, GraphName } from "@dealgraph/config";
import type { AcceptedEnvelope } from "@dealgraph/contracts";
import { loadCorpus, type CorpusEntry } from "@dealgraph/corpus";
import { dealPipelineOn, type DealPipeline } from "@dealgraph/deal-pipeline";
import {
  blankDeal,
  deterministicSynthesis,
  type ActionItemExtraction,
  type DealExtraction,
  type DealSynthesisRequest,
  type ExtractedActionItem,
  type ExtractedDeal,
  type MatchDecisions,
} from "@dealgraph/extraction";
import { deleteTenantNodes, type GraphClient } from "@dealgraph/graph";
import { createLlmProvider, hashingEmbedding, type Completion, type EmbeddingBatch, type LlmProvider, type LlmTask } from "@dealgraph/llm";
import { createLogger } from "@dealgraph/logging";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import type { MatchBatch } from "@dealgraph/llm";
import { randomUUID } from "node:crypto";
import { freshTenantId } from "./services";

export const silentLogger = createLogger({ name: "test", level: "silent" });

export function actionItemPipeline(config: Config, graph: GraphClient, db: Kysely<Database>, llm?: LlmProvider): ActionItemPipeline {
  return actionItemPipelineOn(graph, db, { llm: llm ?? createLlmProvider(config), thresholds: config.actionItemMatching, logger: silentLogger });
}

export function dealPipeline(config: Config, graph: GraphClient, db: Kysely<Database>, llm?: LlmProvider): DealPipeline {
  return dealPipelineOn(graph, db, { llm: llm ?? createLlmProvider(config), thresholds: config.dealMatching, logger: silentLogger });
}

export interface FreshCorpus {
  entries: CorpusEntry[];
  /** Tenant ids by manifest key (`A`, `B`). */
  tenants: Record<string, string>;
  expected: Record<string, unknown>;
  /** The entry whose name starts with `prefix` (`northwind-02`). */
  entry(prefix: string): CorpusEntry;
  interactionOf(prefix: string): string;
}

/**
 * The sample corpus in timestamp order, moved to fresh tenants so that suites never share
 * data with each other or with the demo.
 */
export async function corpusInFreshTenants(): Promise<FreshCorpus> {
  const corpus = await loadCorpus();
  const tenants = Object.fromEntries(Object.keys(corpus.manifest.tenants).map((key) => [key, freshTenantId()]));
  const entries = corpus.entries
    .map((entry) => ({ ...entry, envelope: { ...entry.envelope, tenant_id: tenants[entry.tenantKey] ?? "" } }))
    .sort((a, b) => Date.parse(a.envelope.timestamp) - Date.parse(b.envelope.timestamp));
  const entry = (prefix: string) => {
    const found = entries.find((e) => e.name.startsWith(prefix));
    if (!found) throw new Error(`no corpus entry ${prefix}`);
    return found;
  };
  return { entries, tenants, expected: corpus.manifest.expected, entry, interactionOf: (prefix) => String(entry(prefix).envelope.interaction_id) };
}

export function accepted(envelope: CorpusEntry["envelope"]): AcceptedEnvelope {
  if (!envelope.interaction_id) throw new Error("corpus envelopes carry interaction ids");
  return { ...envelope, interaction_id: envelope.interaction_id };
}

export function extractedDeal(overrides: Partial<ExtractedDeal> = {}): ExtractedDeal {
  return blankDeal({ name: "Alpha offering", summary: "The buyer is considering the alpha offering.", confidence: 0.8, ...overrides });
}

/** A unit vector whose cosine with `basis(0)` is exactly `cosine`. */
export function vectorAt(cosine: number, dimension: number): number[] {
  return Array.from({ length: dimension }, (_, i) => (i === 0 ? cosine : i === 1 ? Math.sqrt(1 - cosine * cosine) : 0));
}

export function basis(axis: number, dimension: number): number[] {
  return Array.from({ length: dimension }, (_, i) => (i === axis ? 1 : 0));
}

/**
 * A provider scripted at the interface: the test sets what extraction returns, which vector
 * each text embeds to, and how the middle band is decided; it records every call.
 */
export class ScriptedProvider implements LlmProvider {
  readonly name = "offline";
  deals: ExtractedDeal[] = [];
  actionItems: ExtractedActionItem[] = [];
  vectors = new Map<string, number[]>();
  decide: (batch: MatchBatch) => MatchDecisions = (batch) => ({
    decisions: batch.questions.map((q) => ({ query_id: q.query_id, match_id: null, confidence: 1, reason: "scripted" })),
  });
  readonly completions: Array<{ task: string; input: unknown }> = [];
  readonly embeddings: string[][] = [];

  readonly models = { completion: "scripted", embedding: "scripted" };

  constructor(readonly embeddingDimension: number) {}

  complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>> {
    this.completions.push({ task: task.name, input });
    const answers: Record<string, () => unknown> = {
      extract_deals: (): DealExtraction => ({ deals: this.deals }),
      extract_action_items: (): ActionItemExtraction => ({ action_items: this.actionItems }),
      decide_matches: () => this.decide(input as MatchBatch),
      synthesize_deals: () => ({ updates: (input as DealSynthesisRequest[]).map(deterministicSynthesis) }),
    };
    const answer = answers[task.name];
    if (!answer) return Promise.reject(new Error(`no script for ${task.name}`));
    return Promise.resolve({
      value: task.schema.parse(answer()),
      call: { provider: "scripted", model: "script", kind: "completion", task: task.name, inputs: 1, promptTokens: 0, completionTokens: 0, latencyMs: 0 },
    });
  }

  embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    this.embeddings.push([...texts]);
    return Promise.resolve({
      // Texts without a scripted vector get the offline hashing embedding: unrelated texts land far apart.
      vectors: texts.map((text) => this.vectors.get(text) ?? hashingEmbedding(text, this.embeddingDimension)),
      calls: [
        { provider: "scripted", model: "script", kind: "embedding", task: "embed", inputs: texts.length, promptTokens: 0, completionTokens: 0, latencyMs: 0 },
      ],
    });
  }

  tasks(): string[] {
    return this.completions.map((c) => c.task);
  }
}

/** Removes every graph node and projection row of the given tenants (suites clean up after themselves). */
export async function deleteTenantData(config: Config, graphs: readonly GraphClient[], tenants: readonly string[]): Promise<void> {
  for (const graph of graphs) await deleteTenantNodes(graph, tenants);
  await deleteTenantRows(config, tenants);
}

/** Removes the tenants' rows from every tenant table of Postgres (the graphs keep theirs). */
export async function deleteTenantRows(
  config: Config,
  tenants: readonly string[],
  tables: readonly TenantTable[] = TENANT_TABLES_IN_DELETE_ORDER,
): Promise<void> {
  const owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "test-cleanup" });
  try {
    for (const tenantId of tenants) {
      await withTenant(owner, tenantId, async (trx) => {
        for (const table of tables) await trx.deleteFrom(table).where("tenant_id", "=", tenantId).execute();
      });
    }
    // The reconciler's list of projection tenants (filled by triggers, never emptied by them):
    // left behind, every later scheduled run walks the tenant again.
    if (tables === TENANT_TABLES_IN_DELETE_ORDER) await sql`delete from projection_tenants where tenant_id = any(${[...tenants]}::uuid[])`.execute(owner);
  } finally {
    await owner.destroy();
  }
}

const TENANT_TABLES_IN_DELETE_ORDER = [
  "risk_signal_versions",
  "risk_signals",
  "deal_versions",
  "opportunities",
  "action_item_versions",
  "action_items",
  "topic_versions",
  "topics",
  "owners",
  "interaction_links",
  "interactions",
  "inbox_pipeline_runs",
  "inbox",
  "reconcile_runs",
  "backfill_checkpoints",
] as const;
type TenantTable = (typeof TENANT_TABLES_IN_DELETE_ORDER)[number];

/** The projection's own tables, children first. */
export const PROJECTION_TABLES_IN_DELETE_ORDER = TENANT_TABLES_IN_DELETE_ORDER.filter(
  (table) => table !== "inbox" && table !== "inbox_pipeline_runs" && table !== "reconcile_runs" && table !== "backfill_checkpoints",
);

/** Fresh tenants for one suite, remembered so that its afterAll can delete their data. */
export class SuiteTenants {
  readonly ids: string[] = [];

  next(): string {
    const id = freshTenantId();
    this.ids.push(id);
    return id;
  }
}

/**
 * Envelopes for scripted tests: each one an hour after the previous, in account `acct-1`, with
 * `text` as the transcript (the guards keep only owners and quotes that occur in it).
 */
export function envelopeMaker(text: string, start: string): (tenantId: string, overrides?: Partial<AcceptedEnvelope>) => AcceptedEnvelope {
  let clock = Date.parse(start);
  return (tenantId, overrides = {}) => {
    clock += 3_600_000;
    return {
      schema_version: "v1",
      tenant_id: tenantId,
      account_id: "acct-1",
      interaction_id: randomUUID(),
      user_id: "user-1",
      interaction_type: "transcript",
      content: { text, format: "plain" },
      timestamp: new Date(clock).toISOString(),
      source: "api",
      ...overrides,
    };
  };
}

/** Rows as a replay must leave them: every value except write timestamps. */
export function withoutWriteTimes<T extends object>(rows: readonly T[]): T[] {
  return rows.map((row) => {
    const { created_at: _c, updated_at: _u, ai_updated_at: _a, ...rest } = row as Record<string, unknown>;
    return rest as T;
  });
}

/** Runs both pipelines in this process over the corpus entries of the given tenants (all when omitted), in timestamp order. */
export async function processCorpus(
  config: Config,
  graphs: Record<GraphName, GraphClient>,
  db: Kysely<Database>,
  corpus: FreshCorpus,
  tenants?: readonly string[],
): Promise<void> {
  const items = actionItemPipeline(config, graphs.action_items, db);
  const deals = dealPipeline(config, graphs.deals, db);
  for (const entry of corpus.entries.filter((e) => !tenants || tenants.includes(e.envelope.tenant_id))) {
    await items.process(accepted(entry.envelope));
    await deals.process(accepted(entry.envelope));
  }
}
