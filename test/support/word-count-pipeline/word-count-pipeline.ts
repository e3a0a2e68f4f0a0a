import type { AcceptedEnvelope } from "@dealgraph/contracts";
import { upsertInteraction, type GraphClient, type GraphTransaction, type InteractionFacts } from "@dealgraph/graph";
import type { Logger } from "@dealgraph/logging";
import {
  FramedPipeline,
  NO_ACCOUNT,
  interactionFacts,
  runBasics,
  type EnvelopeGraphStore,
  type EnvelopeProjector,
  type EnvelopeRun,
  type PipelineResult,
  type PlannedEnvelope,
  type StageInput,
} from "@dealgraph/pipeline-kit";
import { z } from "zod";

/*
 * A pipeline that counts an interaction's words into the action-item graph: the test suite's
 * third pipeline, kept to what a pipeline must have so that it shows what adding one touches.
 * It shares the graph's Interaction nodes with the action-item pipeline and marks its own runs
 * on a WordCount node, never on the Interaction, so neither pipeline takes the other's run for its own.
 */

const outcomeSchema = z.object({ words: z.number().int().min(0) });
type Outcome = z.infer<typeof outcomeSchema>;
type Stage = "count" | "route" | "write" | "project";

export type WordCountIds = readonly string[];

const READ_COUNTS = `
MATCH (w:WordCount {tenant_id: $tenantId}) WHERE w.interaction_id IN $ids
RETURN w.tenant_id AS tenant_id, w.interaction_id AS interaction_id, w.words AS words, toString(w.counted_at) AS counted_at`;

export type WordCountRow = { tenant_id: string; interaction_id: string; words: number; counted_at: string };

/** The WordCount nodes of these interactions as the projection writes them. */
export async function readCounts(tx: GraphTransaction, tenantId: string, ids: readonly string[]): Promise<WordCountRow[]> {
  if (ids.length === 0) return [];
  return (await tx.run(READ_COUNTS, { tenantId, ids: [...ids] })).records.map((r) => r.toObject() as WordCountRow);
}
export interface WordCountResult extends PipelineResult<{ word_counts: number }, Stage> {
  pipeline: "word_counts";
  words: number;
}

const READ_STATE = `OPTIONAL MATCH (w:WordCount {tenant_id: $tenantId, interaction_id: $interactionId}) RETURN w IS NOT NULL AS applied, w.outcome AS outcome`;
const WRITE = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
MERGE (w:WordCount {tenant_id: $tenantId, interaction_id: $interactionId})
  ON CREATE SET w.words = $words, w.outcome = $outcome, w.counted_at = datetime()
MERGE (w)-[:COUNTS]->(i)`;

/** The word-count pipeline's graph: one WordCount node per interaction, written with the Interaction in one transaction. */
export class Neo4jWordCountStore implements EnvelopeGraphStore<object, Outcome, WordCountIds, WordCountRow[]> {
  constructor(private readonly graph: GraphClient) {}

  async readState(facts: InteractionFacts): Promise<{ applied: boolean }> {
    const row = await this.graph.read(async (tx) => (await tx.run(READ_STATE, { tenantId: facts.tenantId, interactionId: facts.interactionId })).records[0]);
    return { applied: row?.get("applied") === true };
  }

  async readApplied(tenantId: string, interactionId: string) {
    const row = await this.graph.read(async (tx) => (await tx.run(READ_STATE, { tenantId, interactionId })).records[0]);
    const stored = row?.get("outcome") as string | null | undefined;
    // The frame validates the outcome; an unreadable one reports the replay as having counted nothing.
    return { linked: [interactionId], count: 1, outcome: typeof stored === "string" ? (JSON.parse(stored) as unknown) : null };
  }

  /** The WordCount node with the Interaction, and the row the projection writes of it, in one transaction. */
  write(facts: InteractionFacts, planned: Outcome | null, stamp: { outcome: unknown }): Promise<WordCountRow[]> {
    return this.graph.write(async (tx) => {
      await upsertInteraction(tx, facts);
      await tx.run(WRITE, { tenantId: facts.tenantId, interactionId: facts.interactionId, words: planned?.words ?? 0, outcome: JSON.stringify(stamp.outcome) });
      return readCounts(tx, facts.tenantId, [facts.interactionId]);
    });
  }
}

export class WordCountPipeline extends FramedPipeline<
  object,
  Outcome,
  WordCountIds,
  WordCountRow[],
  Outcome,
  object,
  { word_counts: number },
  Stage,
  WordCountResult
> {
  constructor(ports: { store: Neo4jWordCountStore; projector: EnvelopeProjector<WordCountIds, WordCountRow[], { word_counts: number }>; logger: Logger }) {
    super({ pipeline: "word_counts", extracts: "words", outcomeSchema }, ports);
  }

  /** A too-short transcript still gets its WordCount node (of 0 words), so the projection covers it too. */
  nothing() {
    return { outcome: { words: 0 }, details: {} };
  }

  facts(envelope: AcceptedEnvelope): InteractionFacts {
    return interactionFacts(envelope, envelope.account_id ?? NO_ACCOUNT);
  }

  async plan({ envelope, meter }: StageInput<object, Stage>): Promise<PlannedEnvelope<Outcome, Outcome, object, Stage>> {
    const words = await meter.time("count", () => Promise.resolve(envelope.content.text.split(/\s+/).filter((word) => word.length > 0).length));
    return { write: { words }, outcome: { words }, count: 1, details: {}, warnings: [], errors: [] };
  }

  protected result(run: EnvelopeRun<Outcome, object, { word_counts: number }, Stage>): WordCountResult {
    return { pipeline: "word_counts", ...runBasics(run), words: run.outcome.words };
  }
}
