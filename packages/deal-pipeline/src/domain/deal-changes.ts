import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS, type DealStage, type Meddic, type OntologyScores } from "@dealgraph/extraction";

/** What a deal is, as far as versioning cares. */
export interface DealState {
  name: string;
  stage: DealStage;
  amount: number | null;
  currency: string | null;
  closeTimeframe: string | null;
  summary: string;
  meddic: Meddic;
  ontology: OntologyScores;
}

/** The scalar fields a version tracks, with the stored property each is kept under. */
const TRACKED_FIELDS = [
  ["name", "name"],
  ["stage", "stage"],
  ["amount", "amount"],
  ["currency", "currency"],
  ["closeTimeframe", "close_timeframe"],
] as const satisfies ReadonlyArray<readonly [keyof DealState, string]>;

/**
 * The stored property names that differ between two states, for `DealVersion.changed_fields`.
 * Narrative (summaries) and meta values (confidences, evidence quotes) are left out: they
 * change on every call and would make every version look like a change of everything.
 */
export function changedFields(before: DealState, after: DealState): string[] {
  const changed: string[] = [];
  for (const [field, property] of TRACKED_FIELDS) {
    if (before[field] !== after[field]) changed.push(property);
  }
  for (const field of [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS]) {
    if ((before.meddic[field]?.text ?? null) !== (after.meddic[field]?.text ?? null)) changed.push(`meddic_${field}`);
  }
  for (const dim of ONTOLOGY_DIMENSIONS) {
    if (before.ontology[dim].score !== after.ontology[dim].score) changed.push(`dim_${dim}`);
  }
  return changed;
}
