export {
  actionItemExtractionSchema,
  actionItemSchema,
  dealExtractionSchema,
  dimensionScoreSchema,
  extractedDealSchema,
  meddicSchema,
  ontologyScoresSchema,
  type ActionItemExtraction,
  type DealExtraction,
  type DimensionScore,
  type ExtractedActionItem,
  type ExtractedDeal,
  type Meddic,
  type OntologyScores,
  type QualificationEvidence,
} from "./extraction-schemas";
export { dealExtractionFromWire, dealExtractionToWire, dealExtractionWireSchema, type DealExtractionWire } from "./deal-extraction-wire";
export { EXTRACTION_LIMITS, TranscriptEvidence, guardActionItems, guardDeals, type Guarded } from "./extraction-guards";
export { UNSTATED_CURRENCY, findMoneyMentions, impliedAmounts, parseNumberWords, type MoneyMention } from "./money";
export { looksLikeInstruction, normalizeForQuoteMatch, setAsideInstructions } from "./untrusted-text";
export * from "./vocabulary";
export { blankActionItem, blankDeal, emptyMeddic, unscoredOntology } from "./empty-qualification";
export { guardMatchDecisions, matchDecisionSchema, type MatchAnswer, type MatchDecisions, type MatchQuestion } from "./match-decision";
export {
  SYNTHESIS_LIMITS,
  dealSynthesisSchema,
  deterministicSynthesis,
  guardDealSyntheses,
  type DealSynthesis,
  type DealSynthesisRequest,
  type SynthesizedDeal,
} from "./deal-synthesis";
export { resolveDueDate } from "./due-dates";
export { MAX_SPEAKERS, personKey, speakersOf, type Speaker } from "./speakers";
export { NO_STORED_EVIDENCE, parseStoredEvidence, type StoredEvidence } from "./stored-evidence";
