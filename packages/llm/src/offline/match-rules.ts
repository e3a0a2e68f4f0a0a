import type { MatchDecisions } from "@dealgraph/extraction";
import type { MatchBatch } from "../match-tasks";
import { contentTerms, jaccard } from "./text-features";

/** Word overlap a candidate needs to count as the same record; high, because unsure means new. */
const SAME_RECORD_OVERLAP = 0.45;

/** The offline answer to middle-band questions: the candidate sharing most words, if enough. */
export function decideMatchesByRules(batch: MatchBatch): MatchDecisions {
  return {
    decisions: batch.questions.map((question) => {
      const terms = contentTerms(question.text);
      const scored = question.candidates
        .map((candidate) => ({ id: candidate.candidate_id, overlap: jaccard(terms, contentTerms(candidate.text)) }))
        .sort((a, b) => b.overlap - a.overlap);
      const best = scored[0];
      const same = best !== undefined && best.overlap >= SAME_RECORD_OVERLAP;
      return {
        query_id: question.query_id,
        match_id: same ? best.id : null,
        confidence: best === undefined ? 1 : Math.abs(best.overlap - SAME_RECORD_OVERLAP) + 0.5,
        reason: best === undefined ? "no candidates" : `word overlap ${best.overlap.toFixed(2)} with the closest candidate`,
      };
    }),
  };
}
