import { guardMatchDecisions, type MatchQuestion } from "@dealgraph/extraction";
import { decideMatchesTask, type LlmCall, type LlmProvider, type MatchBatch } from "@dealgraph/llm";
import type { CandidateResult } from "./candidate-search";
import { decideMatches, type MatchThresholds } from "./match-policy";

/** What matching decided for one extracted record, by its position in the extraction. */
export type MatchResolution =
  | { kind: "existing"; id: string; reason: "exact" | "high_similarity" | "model" | "targeted"; score: number | null }
  | { kind: "new"; bestScore: number | null }
  | { kind: "failed"; message: string };

export interface ResolveMatchesInput {
  kind: MatchBatch["kind"];
  /** What was extracted, per query: the text the model compares with the candidates. */
  texts: readonly string[];
  /** The candidate search's results, in the same order. */
  found: readonly CandidateResult[];
  thresholds: MatchThresholds;
}

export interface ResolvedMatches {
  resolutions: MatchResolution[];
  /** The one middle-band call, if any query fell in the band. */
  call: LlmCall | null;
  warnings: string[];
}

/**
 * Decides every query of an envelope: an exact key or a score at or above `autoMerge` merges,
 * below `askModel` is new, and every query in between goes to the model in one call, each with
 * its own candidate ids (an id the model was not offered counts as "new").
 */
export async function resolveMatches(llm: LlmProvider, input: ResolveMatchesInput): Promise<ResolvedMatches> {
  const decisions = decideMatches(input.found, input.thresholds);
  const questions: MatchQuestion[] = [];
  decisions.forEach((decision, index) => {
    if (decision.kind !== "ask") return;
    questions.push({
      query_id: `${input.kind}-${index}`,
      text: input.texts[index] ?? "",
      candidates: decision.candidates.map((c) => ({ candidate_id: c.id, text: input.found[index]?.texts.get(c.id) ?? c.id })),
    });
  });
  const answers = new Map<string, string | null>();
  const warnings: string[] = [];
  let call: LlmCall | null = null;
  if (questions.length > 0) {
    const completion = await llm.complete(decideMatchesTask, { kind: input.kind, questions });
    call = completion.call;
    const guarded = guardMatchDecisions(questions, completion.value);
    warnings.push(...guarded.warnings);
    for (const answer of guarded.value) answers.set(answer.query_id, answer.match_id);
  }
  const resolutions = decisions.map((decision, index): MatchResolution => {
    if (decision.kind === "merge") return { kind: "existing", id: decision.id, reason: decision.reason, score: decision.score };
    if (decision.kind === "new") return { kind: "new", bestScore: decision.bestScore };
    const matchId = answers.get(`${input.kind}-${index}`) ?? null;
    const best = decision.candidates[0]?.score ?? null;
    if (matchId === null) return { kind: "new", bestScore: best };
    return { kind: "existing", id: matchId, reason: "model", score: decision.candidates.find((c) => c.id === matchId)?.score ?? best };
  });
  return { resolutions, call, warnings };
}
