import { z } from "zod";
import { unscoredOntology } from "./empty-qualification";
import { dimensionScoreSchema, extractedDealSchema, type DealExtraction, type DimensionScore, type OntologyScores } from "./extraction-schemas";
import { ONTOLOGY_DIMENSIONS } from "./vocabulary";

/*
 * The shape a model answers `extract_deals` in. The domain shape keys the ontology by dimension
 * (15 objects of 3 properties), which puts the response format at 104 properties: over the 100
 * that Azure OpenAI and older gateways accept in strict mode. On the wire the ontology is a list
 * of scored dimensions instead (49 properties in all); it becomes the domain shape at the
 * provider boundary, before the task's own schema checks it.
 */

const scoredDimensionSchema = z.strictObject({
  dimension: z.enum(ONTOLOGY_DIMENSIONS),
  ...dimensionScoreSchema.shape,
});

export const dealExtractionWireSchema = z.strictObject({
  deals: z.array(
    z.strictObject({
      ...extractedDealSchema.shape,
      ontology: z.array(scoredDimensionSchema).describe("One entry per dimension the conversation informs; leave out the others"),
    }),
  ),
});
export type DealExtractionWire = z.infer<typeof dealExtractionWireSchema>;

/**
 * A dimension left out is unscored. A dimension listed twice keeps its best-supported entry (a
 * score over none, then the higher confidence), so a repeated entry cannot erase a score.
 */
function ontologyFromList(entries: DealExtractionWire["deals"][number]["ontology"]): OntologyScores {
  const ontology = unscoredOntology();
  const seen = new Set<string>();
  for (const { dimension, ...score } of entries) {
    if (!seen.has(dimension) || outranks(score, ontology[dimension])) ontology[dimension] = score;
    seen.add(dimension);
  }
  return ontology;
}

function outranks(candidate: DimensionScore, held: DimensionScore): boolean {
  if ((candidate.score === null) !== (held.score === null)) return candidate.score !== null;
  return candidate.confidence > held.confidence;
}

export function dealExtractionFromWire(wire: DealExtractionWire): DealExtraction {
  return { deals: wire.deals.map((deal) => ({ ...deal, ontology: ontologyFromList(deal.ontology) })) };
}

/** The wire form of an extraction (every dimension listed): what a model would answer for it. */
export function dealExtractionToWire(extraction: DealExtraction): DealExtractionWire {
  return {
    deals: extraction.deals.map((deal) => ({
      ...deal,
      ontology: ONTOLOGY_DIMENSIONS.map((dimension) => ({ dimension, ...deal.ontology[dimension] })),
    })),
  };
}
