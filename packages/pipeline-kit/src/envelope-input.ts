import { ENVELOPE_LIMITS, type AcceptedEnvelope } from "@dealgraph/contracts";
import { speakersOf } from "@dealgraph/extraction";
import type { InteractionFacts } from "@dealgraph/graph";
import type { InteractionText } from "@dealgraph/llm";
import { warning, type PipelineWarning } from "./pipeline-warning";

/** What the Interaction node records of an envelope, scoped to `accountId`. */
export function interactionFacts(envelope: AcceptedEnvelope, accountId: string): InteractionFacts {
  return {
    tenantId: envelope.tenant_id,
    accountId,
    interactionId: envelope.interaction_id,
    occurredAt: envelope.timestamp,
    userId: envelope.user_id ?? null,
    interactionType: envelope.interaction_type,
    source: envelope.source,
    speakers: speakersOf(envelope.content.text),
  };
}

/** The envelope as an extraction's input; the pipeline adds what it knows (targeted, known records). */
export function interactionText(envelope: AcceptedEnvelope): Omit<InteractionText, "targeted"> {
  return {
    text: envelope.content.text,
    format: envelope.content.format,
    interactionType: envelope.interaction_type,
    occurredAt: envelope.timestamp,
  };
}

/**
 * DESIGN §3: a transcript under the minimum is skipped with a warning, not failed. Returns the
 * warning, or null when the text is long enough to process.
 */
export function tooShortWarning(envelope: AcceptedEnvelope, what: string): PipelineWarning | null {
  return envelope.content.text.trim().length < ENVELOPE_LIMITS.minProcessableTextChars
    ? warning("too_short", "route", `content.text is shorter than ${ENVELOPE_LIMITS.minProcessableTextChars} characters; no ${what} extracted`)
    : null;
}
