import { actionItemRunSummarySchema, dealRunSummarySchema, type ActionItemRunSummary, type DealRunSummary } from "@dealgraph/contracts";
import type { Accepted, EnvelopeStatus, PipelineState } from "@dealgraph/contracts";

/** One envelope sent by `enqueue`: accepted (and, with --wait, where it ended) or refused. */
export interface EnvelopeOutcome {
  file: string;
  tenant_id: string | null;
  interaction_id: string | null;
  accepted: Accepted | null;
  status: EnvelopeStatus | null;
  error: { code: string; message: string; issues: Array<{ path: string; message: string }> } | null;
}

export interface EnqueueTotals {
  envelopes: number;
  accepted: number;
  duplicates: number;
  refused: number;
  /** Envelopes both pipelines finished without a dead letter (with --wait). */
  ok: number;
  /** Envelopes with a dead-lettered pipeline, or unfinished when the wait ended. */
  failed: number;
  actionItems: { created: number; updated: number; mentioned: number };
  topics: { created: number; updated: number };
  deals: { created: number; merged: number };
  wallMs: number;
}

/** The completed result of a pipeline, read through its schema (it came back over HTTP). */
function completed<T>(state: PipelineState | undefined, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | null {
  if (state?.state !== "completed") return null;
  const parsed = schema.safeParse(state.result);
  return parsed.success ? parsed.data : null;
}

const itemsOf = (o: EnvelopeOutcome): ActionItemRunSummary | null => completed(o.status?.pipelines.action_items, actionItemRunSummarySchema);
const dealsOf = (o: EnvelopeOutcome): DealRunSummary | null => completed(o.status?.pipelines.deals, dealRunSummarySchema);
const pipelineOk = (state: PipelineState | undefined) => state?.state === "completed" || state?.state === "skipped";

export function totalsOf(outcomes: EnvelopeOutcome[], wallMs: number): EnqueueTotals {
  const totals: EnqueueTotals = {
    envelopes: outcomes.length,
    accepted: outcomes.filter((o) => o.accepted).length,
    duplicates: outcomes.filter((o) => o.accepted?.duplicate).length,
    refused: outcomes.filter((o) => o.error).length,
    ok: 0,
    failed: 0,
    actionItems: { created: 0, updated: 0, mentioned: 0 },
    topics: { created: 0, updated: 0 },
    deals: { created: 0, merged: 0 },
    wallMs: Math.round(wallMs),
  };
  for (const outcome of outcomes) {
    if (!outcome.status) continue;
    const { action_items: items, deals } = outcome.status.pipelines;
    if (pipelineOk(items) && pipelineOk(deals)) totals.ok += 1;
    else totals.failed += 1;
    const ai = itemsOf(outcome);
    if (ai) {
      totals.actionItems.created += ai.created.length;
      totals.actionItems.updated += ai.updated.length;
      totals.actionItems.mentioned += ai.mentioned.length;
      totals.topics.created += ai.topics.created.length;
      totals.topics.updated += ai.topics.updated.length;
    }
    const d = dealsOf(outcome);
    if (d) {
      totals.deals.created += d.created.length;
      totals.deals.merged += d.merged.length;
    }
  }
  return totals;
}

function stateLine(label: string, state: PipelineState | undefined, detail: string): string {
  if (!state) return `  ${label}: unknown`;
  switch (state.state) {
    case "completed":
      return `  ${label}: ok  ${detail}`;
    case "skipped":
      return `  ${label}: skipped (${state.reason})`;
    case "dead_lettered":
      return `  ${label}: DEAD-LETTERED  ${JSON.stringify(state.error)}`;
    default:
      return `  ${label}: ${state.state}${"attempts" in state && state.attempts > 0 ? ` after ${state.attempts} attempt(s)` : ""}${"last_error" in state && state.last_error ? `: ${state.last_error}` : ""}`;
  }
}

export function formatEnvelopeOutcome(outcome: EnvelopeOutcome): string {
  const head = `${outcome.file}${outcome.interaction_id ? `  (interaction ${outcome.interaction_id})` : ""}`;
  if (outcome.error) {
    return [
      `${head}  REFUSED ${outcome.error.code}: ${outcome.error.message}`,
      ...outcome.error.issues.map((i) => `    ${i.path || "(body)"}: ${i.message}`),
    ].join("\n");
  }
  if (!outcome.status) return `${head}  ${outcome.accepted?.duplicate ? "already accepted (nothing new enqueued)" : "accepted"}`;
  const ai = itemsOf(outcome);
  const d = dealsOf(outcome);
  return [
    head,
    stateLine(
      "action items",
      outcome.status.pipelines.action_items,
      ai
        ? `${ai.status}; created ${ai.created.length}, updated ${ai.updated.length}, mentioned ${ai.mentioned.length}; topics created ${ai.topics.created.length}, updated ${ai.topics.updated.length}  ${ai.ms} ms`
        : "",
    ),
    stateLine("deals", outcome.status.pipelines.deals, d ? `${d.status}; created ${d.created.length}, merged ${d.merged.length}  ${d.ms} ms` : ""),
  ].join("\n");
}

export function formatTotals(t: EnqueueTotals, waited: boolean): string {
  const lines = [`${t.envelopes} envelope(s): ${t.accepted} accepted (${t.duplicates} already known), ${t.refused} refused`];
  if (waited) {
    lines.push(
      `both pipelines ok: ${t.ok}, failed or unfinished: ${t.failed}`,
      `action items created ${t.actionItems.created}, updated ${t.actionItems.updated}, mentioned ${t.actionItems.mentioned}; topics created ${t.topics.created}, updated ${t.topics.updated}`,
      `deals created ${t.deals.created}, merged ${t.deals.merged}`,
    );
  }
  lines.push(`${(t.wallMs / 1000).toFixed(1)} s`);
  return lines.join("\n");
}
