import {
  MEDDIC_FIELDS,
  NO_STORED_EVIDENCE,
  ONTOLOGY_DIMENSIONS,
  QUALIFICATION_EXTRAS,
  parseStoredEvidence,
  type MeddicField,
  type OntologyDimension,
} from "@dealgraph/extraction";

/*
 * A deal's states over time, from its projected rows: each version (valid from one interaction
 * to the next) and the current row. The as-of view picks the state whose validity holds the
 * date, which is the bi-temporal model's valid time (when it was true in the conversation),
 * not when the system recorded it.
 */

type QualificationField = MeddicField | (typeof QUALIFICATION_EXTRAS)[number];
export const QUALIFICATION_FIELDS: readonly QualificationField[] = [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS];

export interface DealState {
  versionNumber: number;
  validFrom: string;
  /** Null for the current state. */
  validUntil: string | null;
  name: string;
  stage: string | null;
  amount: number | null;
  currency: string | null;
  closeTimeframe: string | null;
  summary: string | null;
  meddic: Record<QualificationField, { text: string; quote: string | null } | null>;
  ontology: Record<OntologyDimension, { score: number | null; evidence: string | null }>;
  meddicCompleteness: number;
  ontologyCompleteness: number;
  /** The interaction that made this state. */
  sourceInteractionId: string | null;
  /** What the interaction that made this state changed, and how the system summed it up (empty for the first). */
  changedFields: string[];
  changeSummary: string | null;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown) => (value === null || value === undefined || value === "" ? null : Number.isFinite(Number(value)) ? Number(value) : null);
const isoOf = (value: unknown) =>
  value instanceof Date ? value.toISOString() : typeof value === "string" && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;

const jsonObject = (value: unknown): Record<string, unknown> => {
  if (value !== null && typeof value === "object") return value as Record<string, unknown>;
  if (typeof value !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** A deal_versions row's snapshot (the DealVersion node's flattened properties) as a state. */
function versionState(row: VersionRow): Omit<DealState, "changedFields" | "changeSummary"> {
  const p = jsonObject(row.snapshot);
  const evidence = parseStoredEvidence(p.qualification_evidence_json) ?? NO_STORED_EVIDENCE;
  return {
    versionNumber: row.version_number,
    validFrom: isoOf(row.valid_from) ?? isoOf(p.valid_from) ?? "",
    validUntil: isoOf(row.valid_until),
    name: text(p.name) ?? row.name,
    stage: text(p.stage),
    amount: num(p.amount),
    currency: text(p.currency),
    closeTimeframe: text(p.close_timeframe),
    summary: text(p.summary),
    meddic: Object.fromEntries(
      QUALIFICATION_FIELDS.map((f) => [f, text(p[`meddic_${f}`]) === null ? null : { text: text(p[`meddic_${f}`])!, quote: evidence.meddic[f] ?? null }]),
    ) as DealState["meddic"],
    ontology: Object.fromEntries(
      ONTOLOGY_DIMENSIONS.map((d) => [d, { score: num(p[`dim_${d}`]), evidence: evidence.ontology[d] ?? null }]),
    ) as DealState["ontology"],
    meddicCompleteness: num(p.meddic_completeness) ?? 0,
    ontologyCompleteness: num(p.ontology_completeness) ?? 0,
    sourceInteractionId: text(p.source_interaction_id),
  };
}

/** The opportunity row as the current state: the AI's view of stage and amount (the CRM owns those columns). */
function currentState(row: OpportunityRow, versionNumber: number): Omit<DealState, "changedFields" | "changeSummary"> {
  const meta = jsonObject(row.ai_workflow_metadata);
  const quotes = jsonObject(meta.qualification_quotes);
  const scores = jsonObject(row.ontology_scores_json);
  const extras: Record<string, unknown> = { paper_process: row.meddic_paper_process, competition: row.meddic_competition };
  return {
    versionNumber,
    validFrom: isoOf(meta.valid_from) ?? isoOf(row.created_at) ?? "",
    validUntil: null,
    name: row.name ?? "",
    stage: text(meta.ai_stage),
    amount: num(meta.ai_amount),
    currency: text(meta.ai_currency),
    closeTimeframe: text(meta.close_timeframe),
    summary: row.latest_ai_summary,
    meddic: Object.fromEntries(
      QUALIFICATION_FIELDS.map((f) => {
        const value = text(f in extras ? extras[f] : (row as unknown as Record<string, unknown>)[`meddic_${f}`]);
        return [f, value === null ? null : { text: value, quote: text(quotes[f]) }];
      }),
    ) as DealState["meddic"],
    ontology: Object.fromEntries(
      ONTOLOGY_DIMENSIONS.map((d) => {
        const dim = jsonObject(scores[d]);
        return [d, { score: num(dim.score), evidence: text(dim.evidence) }];
      }),
    ) as DealState["ontology"],
    meddicCompleteness: num(row.meddic_completeness) ?? 0,
    ontologyCompleteness: num(row.ontology_completeness) ?? 0,
    sourceInteractionId: row.source_interaction_id,
  };
}

export interface VersionRow {
  version_number: number;
  name: string;
  valid_from: Date | string;
  valid_until: Date | string | null;
  changed_fields: string[];
  change_summary: string | null;
  change_source_interaction_id: string | null;
  snapshot: unknown;
}

export interface OpportunityRow {
  name: string | null;
  created_at: Date | string;
  ai_workflow_metadata: unknown;
  ontology_scores_json: unknown;
  latest_ai_summary: string | null;
  meddic_paper_process: string | null;
  meddic_competition: string | null;
  meddic_completeness: number | null;
  ontology_completeness: number | null;
  source_interaction_id: string | null;
  extraction_version: number | null;
}

/** Every state of the deal, oldest first; each carries what the interaction that made it changed. */
export function dealTimeline(current: OpportunityRow, versions: readonly VersionRow[]): DealState[] {
  const ordered = [...versions].sort((a, b) => a.version_number - b.version_number);
  const states = [...ordered.map(versionState), currentState(current, current.extraction_version ?? ordered.length + 1)];
  return states.map((state, index) => {
    // The version that ended the previous state says what this one changed.
    const before = ordered[index - 1];
    return { ...state, changedFields: before?.changed_fields ?? [], changeSummary: before?.change_summary ?? null };
  });
}

/** The state valid at `at` (ISO), or null when the deal had not yet been discussed then. */
export function stateAsOf(states: readonly DealState[], at: string): DealState | null {
  const time = Date.parse(at);
  const found = [...states].reverse().find((s) => Date.parse(s.validFrom) <= time);
  return found ?? null;
}

/** The interaction in which a MEDDIC field first took the value it has in `state` (its evidence), walking back while it was unchanged. */
export function sourceOfField(states: readonly DealState[], state: DealState, field: QualificationField): string | null {
  return sourceOfValue(states, state, (s) => s.meddic[field]?.text ?? null);
}

/** The same for an ontology score: where the dimension took the score (and evidence) it has in `state`. */
export function sourceOfScore(states: readonly DealState[], state: DealState, dimension: OntologyDimension): string | null {
  return sourceOfValue(states, state, (s) =>
    s.ontology[dimension].score === null ? null : `${s.ontology[dimension].score}\u0000${s.ontology[dimension].evidence ?? ""}`,
  );
}

function sourceOfValue(states: readonly DealState[], state: DealState, valueOf: (s: DealState) => string | null): string | null {
  const index = states.indexOf(state);
  const value = valueOf(state);
  if (value === null || index < 0) return null;
  let first = index;
  while (first > 0 && valueOf(states[first - 1]!) === value) first -= 1;
  return states[first]!.sourceInteractionId;
}
