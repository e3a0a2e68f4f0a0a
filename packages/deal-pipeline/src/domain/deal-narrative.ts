import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS, type DealSynthesisRequest } from "@dealgraph/extraction";
import type { DealRecord } from "./deal-record";
import type { PlannedMerge } from "./deal-plan";

const money = (amount: number | null, currency: string | null) =>
  amount === null ? "none" : `${amount.toLocaleString("en-US")}${currency ? ` ${currency}` : ""}`;
const short = (text: string | null | undefined) => (text === null || text === undefined ? "none" : `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`);

/**
 * The changed fields in words (`stage: qualification → proposal`), for the synthesis and the
 * version's change summary. Derived from the merged facts, so the model never decides them.
 */
export function describeChanges(before: DealRecord, after: DealRecord, changedFields: readonly string[]): string[] {
  const changed = new Set(changedFields);
  const lines: string[] = [];
  if (changed.has("stage")) lines.push(`stage: ${before.stage} → ${after.stage}`);
  if (changed.has("amount") || changed.has("currency")) {
    lines.push(`amount: ${money(before.amount, before.currency)} → ${money(after.amount, after.currency)}`);
  }
  if (changed.has("close_timeframe")) lines.push(`close timeframe: ${short(before.closeTimeframe)} → ${short(after.closeTimeframe)}`);
  for (const field of [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS]) {
    if (changed.has(`meddic_${field}`)) lines.push(`${field.replace(/_/g, " ")}: ${short(after.meddic[field]?.text)}`);
  }
  for (const dim of ONTOLOGY_DIMENSIONS) {
    if (changed.has(`dim_${dim}`)) {
      lines.push(`${dim.replace(/_/g, " ")}: ${before.ontology[dim].score ?? "unscored"} → ${after.ontology[dim].score ?? "unscored"}`);
    }
  }
  return lines;
}

export function synthesisRequest(merge: PlannedMerge, occurredAt: string): DealSynthesisRequest {
  return {
    deal_id: merge.base.opportunityId,
    name: merge.base.name,
    stored_summary: merge.base.summary,
    stored_evolution_summary: merge.base.evolutionSummary,
    new_summaries: merge.incoming.map((deal) => deal.summary),
    changes: describeChanges(merge.base, merge.next, merge.changedFields),
    occurred_at: occurredAt,
  };
}
