import { dealSynthesisSchema, type DealSynthesis, type DealSynthesisRequest } from "@dealgraph/extraction";
import type { LlmTask } from "./provider";
import { SYNTHESIZE_DEALS_INSTRUCTIONS } from "./prompts";

/** Every merged deal of one envelope in one call (DESIGN §6 stage 3). */
export const synthesizeDealsTask: LlmTask<DealSynthesisRequest[], DealSynthesis> = {
  name: "synthesize_deals",
  schema: dealSynthesisSchema,
  instructions: SYNTHESIZE_DEALS_INSTRUCTIONS,
  toDocument: (deals) => ({ deals }),
};
