import {
  actionItemExtractionSchema,
  dealExtractionFromWire,
  dealExtractionSchema,
  dealExtractionWireSchema,
  type ActionItemExtraction,
  type DealExtraction,
} from "@dealgraph/extraction";
import { wireFormat, type LlmTask } from "./provider";
import { EXTRACT_ACTION_ITEMS_INSTRUCTIONS, EXTRACT_DEALS_INSTRUCTIONS } from "./prompts";

/** What both extraction tasks read from an interaction. */
export interface InteractionText {
  text: string;
  format: "plain" | "diarized" | "markdown";
  interactionType: "transcript" | "note" | "email" | "meeting";
  /** ISO-8601; lets a model resolve "by Friday". */
  occurredAt: string | null;
  /** The envelope names one deal: at most one deal may come back. */
  targeted: boolean;
  /**
   * Names of the deals already open with this account (the targeted deal alone for a targeted
   * envelope), so that a deal the conversation continues comes back under its stored name.
   */
  knownDeals?: readonly string[];
  /**
   * The account's open action items (most recent first), so that a conversation reporting on one
   * of them ("the questionnaire came back") returns it under its stored text.
   */
  knownItems?: ReadonlyArray<{ text: string; owner_name: string | null }>;
}

function toDocument(input: InteractionText): Record<string, unknown> {
  return {
    interaction_type: input.interactionType,
    format: input.format,
    occurred_at: input.occurredAt,
    targeted: input.targeted,
    transcript: input.text,
  };
}

export const extractActionItemsTask: LlmTask<InteractionText, ActionItemExtraction> = {
  name: "extract_action_items",
  schema: actionItemExtractionSchema,
  instructions: EXTRACT_ACTION_ITEMS_INSTRUCTIONS,
  toDocument: (input) => ({ ...toDocument(input), known_items: input.knownItems ?? [] }),
};

export const extractDealsTask: LlmTask<InteractionText, DealExtraction> = {
  name: "extract_deals",
  schema: dealExtractionSchema,
  instructions: EXTRACT_DEALS_INSTRUCTIONS,
  toDocument: (input) => ({ ...toDocument(input), known_deals: input.knownDeals ?? [] }),
  wire: wireFormat(dealExtractionWireSchema, dealExtractionFromWire),
};
