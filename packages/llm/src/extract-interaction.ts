import { TranscriptEvidence, guardActionItems, guardDeals, type ActionItemExtraction, type DealExtraction } from "@dealgraph/extraction";
import { extractActionItemsTask, extractDealsTask, type InteractionText } from "./extraction-tasks";
import type { LlmCall, LlmProvider } from "./provider";

export interface ExtractionOutcome<T> {
  value: T;
  /** What the guards dropped or trimmed. */
  warnings: string[];
  call: LlmCall;
}

/** The action-item pipeline's extract stage: one model call, then the guards. */
export async function extractActionItems(provider: LlmProvider, input: InteractionText): Promise<ExtractionOutcome<ActionItemExtraction>> {
  const { value, call } = await provider.complete(extractActionItemsTask, input);
  const guarded = guardActionItems(value, new TranscriptEvidence(input.text));
  return { value: guarded.value, warnings: guarded.warnings, call };
}

/** The deal pipeline's extract stage: one model call, then the guards. */
export async function extractDeals(provider: LlmProvider, input: InteractionText): Promise<ExtractionOutcome<DealExtraction>> {
  const { value, call } = await provider.complete(extractDealsTask, input);
  const guarded = guardDeals(value, new TranscriptEvidence(input.text), { targeted: input.targeted });
  return { value: guarded.value, warnings: guarded.warnings, call };
}
