import { z } from "zod";

/*
 * DESIGN §5 and §6: a candidate at or above `autoMerge` is merged without asking, one in
 * [askModel, autoMerge) goes to the model (which is biased towards "new"), anything lower is
 * new. A false merge destroys data and a false create can be merged later, hence the bias. Deals,
 * action items and topics all match this way.
 */
export const matchThresholdsSchema = z
  .strictObject({
    autoMerge: z.number().min(0).max(1),
    askModel: z.number().min(0).max(1),
  })
  .refine((t) => t.askModel <= t.autoMerge, { message: "askModel must not exceed autoMerge", path: ["askModel"] });
export type MatchThresholds = z.infer<typeof matchThresholdsSchema>;

export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { autoMerge: 0.9, askModel: 0.7 };

/** One vector hit: a stored record and the cosine score of one of its two embeddings. */
export interface VectorHit {
  id: string;
  score: number;
  embedding: "original" | "current";
}

export interface ScoredCandidate {
  id: string;
  /** The better of the original and the current embedding's score. */
  score: number;
}

export type MatchDecision =
  | { kind: "merge"; id: string; score: number; reason: "exact" | "high_similarity" }
  | { kind: "ask"; candidates: ScoredCandidate[] }
  | { kind: "new"; bestScore: number | null };

/** Keeps the best score per stored record over both embeddings, best first. */
export function bestScorePerCandidate(hits: readonly VectorHit[]): ScoredCandidate[] {
  const best = new Map<string, number>();
  for (const hit of hits) best.set(hit.id, Math.max(best.get(hit.id) ?? -Infinity, hit.score));
  return [...best.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** "The  Fleet-Telemetry Platform!" → "fleet telemetry platform": the exact-match key of a name or text. */
export function normalizeKey(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .replace(/^(the|a|an) /, "")
    .trim();
}

/**
 * Decides what to do with one extracted record. `exactMatchId` is a stored record of the same
 * tenant and account whose normalised key (name or text) equals the extracted one: checked
 * first, because short names and acronyms can embed far apart.
 */
export function decideMatch(
  exactMatchId: string | null,
  candidates: readonly ScoredCandidate[],
  thresholds: MatchThresholds,
  maxCandidatesToAsk = 5,
): MatchDecision {
  if (exactMatchId !== null) {
    const score = candidates.find((c) => c.id === exactMatchId)?.score ?? 1;
    return { kind: "merge", id: exactMatchId, score, reason: "exact" };
  }
  const [best] = candidates;
  if (best === undefined) return { kind: "new", bestScore: null };
  if (best.score >= thresholds.autoMerge) return { kind: "merge", id: best.id, score: best.score, reason: "high_similarity" };
  if (best.score >= thresholds.askModel) {
    return { kind: "ask", candidates: candidates.filter((c) => c.score >= thresholds.askModel).slice(0, maxCandidatesToAsk) };
  }
  return { kind: "new", bestScore: best.score };
}

/** The decision for each query of a candidate search, in query order. */
export function decideMatches(found: ReadonlyArray<{ exactMatchId: string | null; hits: readonly VectorHit[] }>, thresholds: MatchThresholds): MatchDecision[] {
  return found.map((candidates) => decideMatch(candidates.exactMatchId, bestScorePerCandidate(candidates.hits), thresholds));
}
