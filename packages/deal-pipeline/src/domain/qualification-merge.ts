import {
  ADDITIVE_MEDDIC_FIELDS,
  MEDDIC_FIELDS,
  ONTOLOGY_DIMENSIONS,
  QUALIFICATION_EXTRAS,
  REPLACEABLE_MEDDIC_FIELDS,
  type Meddic,
  type OntologyScores,
  type QualificationEvidence,
} from "@dealgraph/extraction";

/*
 * DESIGN §6 stage 3: metrics, economic buyer and champion are replaceable (the latest call
 * wins); decision criteria, decision process and identified pain are additive (what each call
 * adds is kept). Paper process and competition accumulate like the additive ones. A field the
 * new call says nothing about keeps its value: silence is not evidence of change.
 */

const ADDITIVE = new Set<string>([...ADDITIVE_MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS]);
const REPLACEABLE = new Set<string>(REPLACEABLE_MEDDIC_FIELDS);

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function accumulate(current: QualificationEvidence, incoming: QualificationEvidence): QualificationEvidence {
  const seen = new Set(sentencesOf(current.text).map((s) => s.toLowerCase()));
  const added = sentencesOf(incoming.text).filter((s) => !seen.has(s.toLowerCase()));
  return {
    text: [current.text, ...added].join(" "),
    confidence: Math.max(current.confidence, incoming.confidence),
    quote: current.quote,
  };
}

export function mergeMeddic(current: Meddic, incoming: Meddic): Meddic {
  const merged = { ...current };
  for (const field of [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS]) {
    const now = current[field];
    const next = incoming[field];
    if (next === null) continue;
    if (REPLACEABLE.has(field) || now === null) merged[field] = next;
    else if (ADDITIVE.has(field)) merged[field] = accumulate(now, next);
  }
  return merged;
}

/** Scored dimensions of the new call replace; unscored ones keep the stored score. */
export function mergeOntology(current: OntologyScores, incoming: OntologyScores): OntologyScores {
  const merged = { ...current };
  for (const dim of ONTOLOGY_DIMENSIONS) {
    if (incoming[dim].score !== null) merged[dim] = incoming[dim];
  }
  return merged;
}

/** Filled MEDDIC fields of the six, over 6 (the two extras do not count). */
export function meddicCompleteness(meddic: Meddic): number {
  return MEDDIC_FIELDS.filter((field) => meddic[field] !== null).length / MEDDIC_FIELDS.length;
}

/** Scored ontology dimensions over 15. */
export function ontologyCompleteness(scores: OntologyScores): number {
  return ONTOLOGY_DIMENSIONS.filter((dim) => scores[dim].score !== null).length / ONTOLOGY_DIMENSIONS.length;
}

export type QualificationStatus = "unqualified" | "early" | "partially_qualified" | "qualified";

/** A CRM-facing label for how much of MEDDIC is known: none, under half, half or more, all six. */
export function qualificationStatus(meddicCompleteness: number): QualificationStatus {
  if (meddicCompleteness >= 1) return "qualified";
  if (meddicCompleteness >= 0.5) return "partially_qualified";
  return meddicCompleteness > 0 ? "early" : "unqualified";
}
