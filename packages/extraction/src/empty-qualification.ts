import type { ExtractedDeal, Meddic, OntologyScores } from "./extraction-schemas";
import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS } from "./vocabulary";

/** Every MEDDIC field (and extra) empty: what a conversation that says nothing yields. */
export function emptyMeddic(): Meddic {
  return Object.fromEntries([...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS].map((field) => [field, null])) as Meddic;
}

/** Every ontology dimension unscored. */
export function unscoredOntology(): OntologyScores {
  return Object.fromEntries(
    ONTOLOGY_DIMENSIONS.map((dim) => [dim, { score: null, confidence: 0, evidence: null }]),
  ) as OntologyScores;
}

/**
 * A deal of which nothing is known but what `overrides` says: qualification empty, no amount,
 * stage qualification. The base the tests build their deals on.
 */
export function blankDeal(overrides: Partial<ExtractedDeal> = {}): ExtractedDeal {
  return {
    name: "Offering",
    summary: "",
    stage: "qualification",
    stage_evidence: null,
    amount: null,
    currency: null,
    close_timeframe: null,
    meddic: emptyMeddic(),
    ontology: unscoredOntology(),
    confidence: 0.5,
    reasoning: "",
    ...overrides,
  };
}
