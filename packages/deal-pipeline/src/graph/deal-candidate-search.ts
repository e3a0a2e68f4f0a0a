import type { GraphClient } from "@dealgraph/graph";
import type { VectorHit } from "../domain/match-policy";

/*
 * Candidates are found by an exact scan of the account's own deals (through the
 * `(tenant_id, account_id)` lookup index), not through the global vector index: a vector index
 * returns the top k over every tenant before any filter, so other tenants' near-identical deals
 * could push the right one out. An account holds tens or hundreds of deals, so the scan is
 * cheap and its recall is exact. Neo4j's `vector.similarity.cosine` is scaled to [0, 1];
 * `2s - 1` turns it back into the cosine the thresholds are written in.
 */
const FIND_CANDIDATES = `
UNWIND $queries AS q
CALL (q) {
  MATCH (d:Deal {tenant_id: $tenantId, account_id: $accountId})
  WITH d,
       2 * vector.similarity.cosine(d.embedding, q.embedding) - 1 AS original,
       2 * vector.similarity.cosine(coalesce(d.embedding_current, d.embedding), q.embedding) - 1 AS current,
       d.normalized_name = q.normalizedName AS sameName
  ORDER BY sameName DESC, CASE WHEN original > current THEN original ELSE current END DESC, d.opportunity_id
  LIMIT toInteger($limit)
  RETURN collect({id: d.opportunity_id, text: d.name + ': ' + coalesce(d.summary, ''), sameName: sameName, original: original, current: current}) AS candidates
}
RETURN q.index AS index, candidates`;

/*
 * Neo4j computes the similarity in single precision (a cosine of exactly 0.9 comes back as
 * 0.89999998), so scores are rounded to six decimals, the precision a float carries, before
 * they meet the thresholds. Otherwise a score on a band edge would land on the wrong side.
 */
const SCORE_DECIMALS = 1e6;
const roundScore = (score: number) => Math.round(score * SCORE_DECIMALS) / SCORE_DECIMALS;

export interface CandidateQuery {
  normalizedName: string;
  embedding: number[];
}

export interface CandidateResult {
  /** A deal of the account whose normalised name equals the query's, if any. */
  exactNameMatchId: string | null;
  /** Both embeddings' scores of the best-scoring deals of the account. */
  hits: VectorHit[];
  /** Each candidate's `"{name}: {summary}"`, for a middle-band question to the model. */
  texts: Map<string, string>;
}

interface Row {
  index: number;
  candidates: Array<{ id: string; text: string; sameName: boolean; original: number; current: number }>;
}

export class DealCandidateSearch {
  constructor(
    private readonly graph: GraphClient,
    private readonly limit = 10,
  ) {}

  /** One round trip for every extracted deal of an envelope; results in query order. */
  async find(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<CandidateResult[]> {
    if (queries.length === 0) return [];
    const rows = await this.graph.read(async (tx) => {
      const result = await tx.run(FIND_CANDIDATES, {
        tenantId,
        accountId,
        limit: this.limit,
        queries: queries.map((q, index) => ({ index, normalizedName: q.normalizedName, embedding: q.embedding })),
      });
      return result.records.map((record) => record.toObject() as Row);
    });
    const byIndex = new Map(rows.map((row) => [Number(row.index), row.candidates]));
    return queries.map((_, index) => {
      const candidates = byIndex.get(index) ?? [];
      return {
        exactNameMatchId: candidates.find((c) => c.sameName)?.id ?? null,
        hits: candidates.flatMap((c): VectorHit[] => [
          { id: c.id, score: roundScore(c.original), embedding: "original" },
          { id: c.id, score: roundScore(c.current), embedding: "current" },
        ]),
        texts: new Map(candidates.map((c) => [c.id, c.text])),
      };
    });
  }
}
