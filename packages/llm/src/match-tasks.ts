import { matchDecisionSchema, type MatchDecisions, type MatchQuestion } from "@dealgraph/extraction";
import type { LlmTask } from "./provider";
import { DECIDE_MATCHES_INSTRUCTIONS } from "./prompts";

/** What a batch of middle-band questions is about; the instructions are the same for all. */
export interface MatchBatch {
  kind: "deal" | "action_item" | "topic";
  questions: MatchQuestion[];
}

export const decideMatchesTask: LlmTask<MatchBatch, MatchDecisions> = {
  name: "decide_matches",
  schema: matchDecisionSchema,
  instructions: DECIDE_MATCHES_INSTRUCTIONS,
  toDocument: (input) => ({ kind: input.kind, questions: input.questions }),
};
