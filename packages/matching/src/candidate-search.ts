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
 * for them), and the record expression from the repository that asks; every value travels as a
 * parameter, all of them inside one map (`$search`), so that Neo4j plans the statement once
 * rather than once per size class of the query list and the account id (see JointStatement in
 * @dealgraph/graph).
 */
function findCandidatesPart(target: MatchTarget, record: string, part: number): string {
  const { label, idProperty, keyProperty, describe } = MATCH_TARGETS[target];
  return `
CALL () {
  UNWIND $search.queries${part} AS q
  CALL (q) {
    MATCH (n:${label} {tenant_id: $search.tenantId, account_id: $search.accountId})
    WITH n, 2 * vector.similarity.cosine(n.embedding, q.embedding) - 1 AS original
    WITH n, original,
         CASE WHEN coalesce(n.embedding_revised, true)
              THEN 2 * vector.similarity.cosine(coalesce(n.embedding_current, n.embedding), q.embedding) - 1
              ELSE original END AS current,
         n.${keyProperty} = q.key AS sameKey
    ORDER BY sameKey DESC, CASE WHEN original > current THEN original ELSE current END DESC, n.${idProperty}
    LIMIT toInteger($search.limit${part})
    RETURN collect({id: n.${idProperty}, text: ${describe}, sameKey: sameKey, original: original, current: current, record: ${record}}) AS candidates
  }
  RETURN collect({index: q.index, candidates: candidates}) AS found${part}
}`;
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

export interface CandidateResult<StoredRecord = unknown> {
  /** A record of the account whose key equals the query's, if any. */
  exactMatchId: string | null;
  /** Both embeddings' scores of the best-scoring records of the account. */
  hits: VectorHit[];
  /** Each candidate's description (`"{name}: {summary}"` or the item text), for a middle-band question. */
  texts: Map<string, string>;
  /**
   * Each candidate's stored record as the search's `record` expression read it (nothing when it
   * has none), so that a pipeline merging into a candidate needs no second read of the graph.
   */
  records: Map<string, StoredRecord>;
}

/** The results with each candidate's record read into the caller's type. */
export function withRecords<StoredRecord>(results: readonly CandidateResult[], read: (record: unknown) => StoredRecord): Array<CandidateResult<StoredRecord>> {
  return results.map((result) => ({ ...result, records: new Map([...result.records].map(([id, record]) => [id, read(record)])) }));
}

type Found = Array<{
  index: number;
  candidates: Array<{ id: string; text: string; sameKey: boolean; original: number; current: number; record: unknown }>;
}>;

/** One search's part of a statement: which target, what it returns of each candidate, how many. */
interface SearchPart {
  target: MatchTarget;
  record: string;
  limit: number;
}

export class CandidateSearch {
  readonly part: SearchPart;

  /**
   * `record`: a Cypher expression over the candidate `n` (and what it can reach) giving what a
   * merge into it needs, returned in `records`; a trusted constant of the calling repository,
   * never data.
   */
  constructor(
    private readonly graph: GraphClient,
    target: MatchTarget,
    options: { limit?: number; record?: string } = {},
  ) {
    this.part = { target, record: options.record ?? "null", limit: options.limit ?? 10 };
  }

  /** One statement in one round trip for every query of an envelope; results in query order. */
  async find(tenantId: string, accountId: string, queries: readonly CandidateQuery[]): Promise<CandidateResult[]> {
    const [results] = await searchTogether(this.graph, tenantId, accountId, [{ search: this, queries }]);
    return results ?? [];
  }
}

/** The statement of these searches, built once per combination of targets (the Cypher is code). */
const statements = new Map<string, string>();
function statementOf(parts: readonly SearchPart[]): string {
  const name = parts.map((p) => `${p.target}:${p.record}`).join("|");
  let statement = statements.get(name);
  if (statement === undefined) {
    statement = `${parts.map((p, i) => findCandidatesPart(p.target, p.record, i)).join("")}
RETURN ${parts.map((_, i) => `found${i}`).join(", ")}`;
    statements.set(name, statement);
  }
  return statement;
}

/**
 * Several searches of one account (of different targets: an envelope's items and topics) as one
 * statement in one auto-commit read: one round trip for all of them. Results per search, each
 * in its queries' order; a search with no queries costs nothing and answers none.
 */
export async function searchTogether(
  graph: GraphClient,
  tenantId: string,
  accountId: string,
  searches: ReadonlyArray<{ search: CandidateSearch; queries: readonly CandidateQuery[] }>,
): Promise<CandidateResult[][]> {
  const asked = searches.filter((s) => s.queries.length > 0);
  if (asked.length === 0) return searches.map(() => []);
  const parameters: Record<string, unknown> = { tenantId, accountId };
  for (const [i, { search, queries }] of asked.entries()) {
    parameters[`queries${i}`] = queries.map((q, index) => ({ index, key: q.key, embedding: q.embedding }));
    parameters[`limit${i}`] = search.part.limit;
  }
  const statement = statementOf(asked.map((s) => s.search.part));
  const row = await graph.readOne(async (tx) => (await tx.run(statement, { search: parameters })).records[0]);
  let next = 0;
  return searches.map(({ queries }) => (queries.length === 0 ? [] : decode(queries, (row?.get(`found${next++}`) as Found | undefined) ?? [])));
}

function decode(queries: readonly CandidateQuery[], found: Found): CandidateResult[] {
  const byIndex = new Map(found.map((f) => [Number(f.index), f.candidates]));
  return queries.map((_, index) => {
    const candidates = byIndex.get(index) ?? [];
    return {
      exactMatchId: candidates.find((c) => c.sameKey)?.id ?? null,
      hits: candidates.flatMap((c): VectorHit[] => [
        { id: c.id, score: roundScore(c.original), embedding: "original" },
        { id: c.id, score: roundScore(c.current), embedding: "current" },
      ]),
      texts: new Map(candidates.map((c) => [c.id, c.text])),
      records: new Map(candidates.filter((c) => c.record !== null).map((c) => [c.id, c.record])),
    };
  });
}
