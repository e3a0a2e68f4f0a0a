import { z } from "zod";

/*
 * The middle band of matching (DESIGN §5, §6): every undecided query of one envelope goes to the
 * model in one call, each with its own candidate list tagged by id. Ids come from code; the guard
 * below refuses any id the model did not receive for that query.
 */

export const matchDecisionSchema = z.strictObject({
  decisions: z.array(
    z.strictObject({
      query_id: z.string(),
      match_id: z.string().nullable().describe("The candidate_id that is the same thing, or null for a new one"),
      confidence: z.number().describe("0 to 1"),
      reason: z.string(),
    }),
  ),
});
export type MatchDecisions = z.infer<typeof matchDecisionSchema>;

export interface MatchQuestion {
  query_id: string;
  /** What was extracted, e.g. `"{name}: {summary}"`. */
  text: string;
  candidates: Array<{ candidate_id: string; text: string }>;
}

export interface MatchAnswer {
  query_id: string;
  match_id: string | null;
  confidence: number;
  reason: string;
}

/**
 * One answer per question, in question order. An unknown or foreign id, a missing answer or a
 * duplicate becomes "new" with a warning: a false merge destroys data, a false create can be
 * merged later.
 */
export function guardMatchDecisions(questions: readonly MatchQuestion[], answer: MatchDecisions): { value: MatchAnswer[]; warnings: string[] } {
  const warnings: string[] = [];
  const byQuery = new Map<string, MatchDecisions["decisions"][number]>();
  for (const decision of answer.decisions) {
    if (byQuery.has(decision.query_id)) warnings.push(`decisions: a second answer for ${decision.query_id} was ignored`);
    else byQuery.set(decision.query_id, decision);
  }
  const value = questions.map((question): MatchAnswer => {
    const decision = byQuery.get(question.query_id);
    if (!decision) {
      warnings.push(`decisions: no answer for ${question.query_id}; treated as new`);
      return { query_id: question.query_id, match_id: null, confidence: 0, reason: "no answer" };
    }
    const known = decision.match_id === null || question.candidates.some((c) => c.candidate_id === decision.match_id);
    if (!known) warnings.push(`decisions: ${question.query_id} named an id it was not offered; treated as new`);
    return {
      query_id: question.query_id,
      match_id: known ? decision.match_id : null,
      confidence: Math.min(1, Math.max(0, decision.confidence)),
      reason: decision.reason.slice(0, 500),
    };
  });
  return { value, warnings };
}
