import type { Meddic, OntologyScores } from "./extraction-schemas";
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
