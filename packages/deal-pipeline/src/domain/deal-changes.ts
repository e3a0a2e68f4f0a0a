import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS, type DealStage, type Meddic, type OntologyScores } from "@dealgraph/extraction";

/** What a deal is, as far as versioning cares. */
export interface DealState {
  name: string;
  stage: DealStage;
  amount: number | null;
  currency: string | null;
  close_timeframe: string | null;
  summary: string;
  meddic: Meddic;
  ontology: OntologyScores;
}

/**
 * The stored property names that differ between two states, for `DealVersion.changed_fields`.
 * Narrative (summaries) and meta values (confidences, evidence quotes) are left out: they
 * change on every call and would make every version look like a change of everything.
 */
export function changedFields(before: DealState, after: DealState): string[] {
  const changed: string[] = [];
  for (const field of ["name", "stage", "amount", "currency", "close_timeframe"] as const) {
    if (before[field] !== after[field]) changed.push(field);
  }
  for (const field of [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS]) {
    if ((before.meddic[field]?.text ?? null) !== (after.meddic[field]?.text ?? null)) changed.push(`meddic_${field}`);
  }
  for (const dim of ONTOLOGY_DIMENSIONS) {
    if (before.ontology[dim].score !== after.ontology[dim].score) changed.push(`dim_${dim}`);
  }
  return changed;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);

/**
 * Whether `embedding_current` must be recomputed: the summaries' word sets overlap less than
 * `minOverlap` (Jaccard). Rewording a sentence keeps it; a new topic or figure changes it.
 */
export function summaryChangedMaterially(before: string, after: string, minOverlap = 0.85): boolean {
  const a = words(before);
  const b = words(after);
  if (a.size === 0 && b.size === 0) return false;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared) < minOverlap;
}
