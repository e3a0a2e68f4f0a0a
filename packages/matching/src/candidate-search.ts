import type { GraphClient } from "@dealgraph/graph";
import type { VectorHit } from "./match-policy";

/** What can be matched, and where its id, exact-match key and description live. */
export const MATCH_TARGETS = {
  deal: { label: "Deal", idProperty: "opportunity_id", keyProperty: "normalized_name", describe: "n.name + ': ' + coalesce(n.summary, '')" },
  action_item: { label: "ActionItem", idProperty: "action_item_id", keyProperty: "normalized_text", describe: "n.text" },
  topic: { label: "Topic", idProperty: "topic_id", keyProperty: "normalized_name", describe: "n.name + ': ' + coalesce(n.summary, '')" },
} as const;
export type MatchTarget = keyof typeof MATCH_TARGETS;

/*
 * Candidates are found by an exact scan of the account's own records (through the
 * `(tenant_id, account_id)` lookup index), not through the global vector index: a vector index
 * returns the top k over every tenant before any filter, so other tenants' near-identical
 * records could push the right one out. An account holds tens or hundreds of deals, items or
 * topics, so the scan is cheap and its recall is exact. Reading the vectors is most of its cost,
 * so a record never revised (`embedding_revised` false: its current vector is its original)
 * has only one read; a record written before the flag existed has both read. Neo4j's `vector.similarity.cosine` is
 * scaled to [0, 1]; `2s - 1` turns it back into the cosine the thresholds are written in.
 *
 * The label and property names are spliced from MATCH_TARGETS above (Cypher takes no parameters
 * for them); every value travels as a parameter.
 */
function findCandidatesQuery(target: MatchTarget): string {
  const { label, idProperty, keyProperty, describe } = MATCH_TARGETS[target];
  return `
UNWIND $queries AS q
CALL (q) {
  MATCH (n:${label} {tenant_id: $tenantId, account_id: $accountId})
  WITH n, 2 * vector.similarity.cosine(n.embedding, q.embedding) - 1 AS original
  WITH n, original,
       CASE WHEN coalesce(n.embedding_revised, true)
            THEN 2 * vector.similarity.cosine(coalesce(n.embedding_current, n.embedding), q.embedding) - 1
            ELSE original END AS current,
       n.${keyProperty} = q.key AS sameKey
  ORDER BY sameKey DESC, CASE WHEN original > current THEN original ELSE current END DESC, n.${idProperty}
  LIMIT toInteger($limit)
  RETURN collect({id: n.${idProperty}, text: ${describe}, sameKey: sameKey, original: original, current: current}) AS candidates
}
RETURN q.index AS index, candidates`;
}

/*
 * Neo4j computes the similarity in single precision (a cosine of exactly 0.9 comes back as
 * 0.89999998), so scores are rounded to six decimals, the precision a float carries, before
 * they meet the thresholds. Otherwise a score on a band edge would land on the wrong side.
 */
const SCORE_DECIMALS = 1e6;
const roundScore = (score: number) => Math.round(score * SCORE_DECIMALS) / SCORE_DECIMALS;

export interface CandidateQuery {
  /** The exact-match key: a normalised name or text (`normalizeKey`). */
  key: string;
  embedding: number[];
}

export interface CandidateResult {
  /** A record of the account whose key equals the query's, if any. */
  exactMatchId: string | null;
  /** Both embeddings' scores of the best-scoring records of the account. */
  hits: VectorHit[];
  /** Each candidate's description (`"{name}: {summary}"` or the item text), for a middle-band question. */
  texts: Map<string, string>;
}

interface Row {
  index: number;
  candidates: Array<{ id: string; text: string; sameKey: boolean; original: number; current: number }>;
}

export class CandidateSearch {
  private readonly query: string;

  constructor(
    private readonly graph: GraphClient,
    target: MatchTarget,
    private readonly limit = 10,
  ) {
    this.query = findCandidatesQuery(target);
  }

  /** One round trip for every query of an envelope; results in query order. */
  async find(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<CandidateResult[]> {
    if (queries.length === 0) return [];
    const rows = await this.graph.read(async (tx) => {
      const result = await tx.run(this.query, {
        tenantId,
        accountId,
        limit: this.limit,
        queries: queries.map((q, index) => ({ index, key: q.key, embedding: q.embedding })),
      });
      return result.records.map((record) => record.toObject() as Row);
    });
    const byIndex = new Map(rows.map((row) => [Number(row.index), row.candidates]));
    return queries.map((_, index) => {
      const candidates = byIndex.get(index) ?? [];
      return {
        exactMatchId: candidates.find((c) => c.sameKey)?.id ?? null,
        hits: candidates.flatMap((c): VectorHit[] => [
          { id: c.id, score: roundScore(c.original), embedding: "original" },
          { id: c.id, score: roundScore(c.current), embedding: "current" },
        ]),
        texts: new Map(candidates.map((c) => [c.id, c.text])),
      };
    });
  }
}
