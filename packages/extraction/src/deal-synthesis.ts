import { z } from "zod";
import type { Guarded } from "./extraction-guards";

/*
 * DESIGN §6 stage 3: a matched deal's narrative is re-written from what was stored and what the
 * new conversation said. Every merged deal of one envelope goes to the model in one call; ids
 * come from code and the guard below keeps exactly one answer per request, in request order.
 */

export const dealSynthesisSchema = z.strictObject({
  updates: z.array(
    z.strictObject({
      deal_id: z.string(),
      summary: z.string().describe("Two or three sentences: the deal as it stands after this conversation"),
      change_summary: z.string().describe("One sentence: what this conversation changed"),
      evolution_summary: z.string().describe("How the deal developed across conversations, oldest first, a few sentences"),
    }),
  ),
});
export type DealSynthesis = z.infer<typeof dealSynthesisSchema>;

export interface DealSynthesisRequest {
  deal_id: string;
  name: string;
  stored_summary: string;
  stored_evolution_summary: string | null;
  /** What this conversation said about the deal (more than one when it came up twice). */
  new_summaries: string[];
  /** The field changes code computed, e.g. `stage: qualification → proposal`. */
  changes: string[];
  /** When the conversation happened (ISO-8601), for the evolution narrative. */
  occurred_at: string;
}

export interface SynthesizedDeal {
  deal_id: string;
  summary: string;
  change_summary: string;
  evolution_summary: string;
}

export const SYNTHESIS_LIMITS = {
  summaryChars: 1200,
  changeSummaryChars: 500,
  /** The evolution narrative keeps its most recent part when it grows past this. */
  evolutionChars: 4000,
} as const;

const clean = (text: string) => text.replace(/\s+/g, " ").trim();

function capEnd(text: string, max: number): string {
  const value = clean(text);
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Long narratives lose their oldest part, never the latest change. */
function capStart(text: string, max: number): string {
  const value = clean(text);
  return value.length <= max ? value : `…${value.slice(value.length - max + 1)}`;
}

/**
 * The synthesis without a model: the latest conversation's summary, the computed changes as
 * the change summary, and the evolution narrative extended by one dated sentence. The offline
 * provider answers with it, and the guard falls back to it when a model's answer is missing.
 */
export function deterministicSynthesis(request: DealSynthesisRequest): SynthesizedDeal {
  const latest = request.new_summaries.at(-1) ?? request.stored_summary;
  const change = request.changes.length === 0 ? "Discussed again; no tracked field changed." : `${request.changes.join("; ")}.`;
  const dated = `${request.occurred_at.slice(0, 10)}: ${change}`;
  const evolution = request.stored_evolution_summary ? `${request.stored_evolution_summary} ${dated}` : dated;
  return {
    deal_id: request.deal_id,
    summary: capEnd(latest, SYNTHESIS_LIMITS.summaryChars),
    change_summary: capEnd(change, SYNTHESIS_LIMITS.changeSummaryChars),
    evolution_summary: capStart(evolution, SYNTHESIS_LIMITS.evolutionChars),
  };
}

/**
 * One synthesis per request, in request order. A missing, duplicate or foreign answer, or an
 * empty summary, falls back to `deterministicSynthesis` with a warning: the merge of facts has
 * already been decided by code, only the narrative is at stake.
 */
export function guardDealSyntheses(requests: readonly DealSynthesisRequest[], answer: DealSynthesis): Guarded<SynthesizedDeal[]> {
  const warnings: string[] = [];
  const byId = new Map<string, DealSynthesis["updates"][number]>();
  for (const update of answer.updates) {
    if (byId.has(update.deal_id)) warnings.push(`updates: a second answer for ${update.deal_id} was ignored`);
    else byId.set(update.deal_id, update);
  }
  const known = new Set(requests.map((r) => r.deal_id));
  for (const id of byId.keys()) {
    if (!known.has(id)) warnings.push(`updates: an answer for ${id}, which was not asked about, was ignored`);
  }
  const value = requests.map((request): SynthesizedDeal => {
    const update = byId.get(request.deal_id);
    if (!update || clean(update.summary) === "") {
      warnings.push(`updates: no usable answer for ${request.deal_id}; kept the latest summary`);
      return deterministicSynthesis(request);
    }
    const fallback = deterministicSynthesis(request);
    return {
      deal_id: request.deal_id,
      summary: capEnd(update.summary, SYNTHESIS_LIMITS.summaryChars),
      change_summary: clean(update.change_summary) === "" ? fallback.change_summary : capEnd(update.change_summary, SYNTHESIS_LIMITS.changeSummaryChars),
      evolution_summary:
        clean(update.evolution_summary) === "" ? fallback.evolution_summary : capStart(update.evolution_summary, SYNTHESIS_LIMITS.evolutionChars),
    };
  });
  return { value, warnings };
}
