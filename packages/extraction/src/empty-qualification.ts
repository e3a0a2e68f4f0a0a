import type { ExtractedActionItem, ExtractedDeal, Meddic, OntologyScores } from "./extraction-schemas";
import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS } from "./vocabulary";

/** Every MEDDIC field (and extra) empty: what a conversation that says nothing yields. */
export function emptyMeddic(): Meddic {
  return Object.fromEntries([...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS].map((field) => [field, null])) as Meddic;
}

/** Every ontology dimension unscored. */
export function unscoredOntology(): OntologyScores {
  return Object.fromEntries(ONTOLOGY_DIMENSIONS.map((dim) => [dim, { score: null, confidence: 0, evidence: null }])) as OntologyScores;
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

/** An open action item with nothing known but what `overrides` says: the base the tests build on. */
export function blankActionItem(overrides: Partial<ExtractedActionItem> = {}): ExtractedActionItem {
  return {
    text: "Follow up",
    owner_name: null,
    owner_organization: null,
    due_hint: null,
    status: "open",
    topic: "General",
    confidence: 0.7,
    quote: null,
    ...overrides,
  };
}
