import {
  MEDDIC_FIELDS,
  ONTOLOGY_DIMENSIONS,
  QUALIFICATION_EXTRAS,
  type DealStage,
  type ExtractedDeal,
  type Meddic,
  type OntologyScores,
} from "@dealgraph/extraction";
import { changedFields, type DealState } from "./deal-changes";
import { normalizeDealName } from "./match-policy";
import { meddicCompleteness, mergeMeddic, mergeOntology, ontologyCompleteness } from "./qualification-merge";

/** A deal as this system stores it; graph properties and projection rows derive from it. */
export interface DealRecord extends DealState {
  opportunityId: string;
  tenantId: string;
  accountId: string;
  dealRef: string;
  normalizedName: string;
  evolutionSummary: string | null;
  meddicCompleteness: number;
  ontologyCompleteness: number;
  confidence: number;
  versionNumber: number;
  sourceInteractionId: string;
}

const STAGE_ORDER: DealStage[] = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"];

/**
 * Stage signals in a call show progress, not regress: a later call that merely does not repeat
 * the proposal talk leaves the deal at proposal. A closed outcome always applies.
 */
export function nextStage(current: DealStage, incoming: DealStage): DealStage {
  if (incoming === "closed_won" || incoming === "closed_lost") return incoming;
  if (current === "closed_won" || current === "closed_lost") return current;
  return STAGE_ORDER.indexOf(incoming) > STAGE_ORDER.indexOf(current) ? incoming : current;
}

export function newDealRecord(
  deal: ExtractedDeal,
  ids: { opportunityId: string; dealRef: string; tenantId: string; accountId: string; interactionId: string },
): DealRecord {
  return {
    ...ids,
    sourceInteractionId: ids.interactionId,
    name: deal.name,
    normalizedName: normalizeDealName(deal.name),
    stage: deal.stage,
    amount: deal.amount,
    currency: deal.currency,
    close_timeframe: deal.close_timeframe,
    summary: deal.summary,
    evolutionSummary: null,
    meddic: deal.meddic,
    ontology: deal.ontology,
    meddicCompleteness: meddicCompleteness(deal.meddic),
    ontologyCompleteness: ontologyCompleteness(deal.ontology),
    confidence: deal.confidence,
    versionNumber: 1,
  };
}

/**
 * The deal after a later call: MEDDIC and ontology by their merge rules, the latest stated
 * amount (an unstated one keeps the old), the stage by `nextStage`, and the synthesised
 * summaries. The name never changes (it is the CRM's once inserted).
 */
export function mergeDealRecord(
  current: DealRecord,
  incoming: ExtractedDeal,
  synthesis: { summary: string; evolutionSummary: string },
  interactionId: string,
): { next: DealRecord; changedFields: string[] } {
  const meddic = mergeMeddic(current.meddic, incoming.meddic);
  const ontology = mergeOntology(current.ontology, incoming.ontology);
  const next: DealRecord = {
    ...current,
    stage: nextStage(current.stage, incoming.stage),
    amount: incoming.amount ?? current.amount,
    currency: incoming.amount === null ? current.currency : incoming.currency,
    close_timeframe: incoming.close_timeframe ?? current.close_timeframe,
    summary: synthesis.summary,
    evolutionSummary: synthesis.evolutionSummary,
    meddic,
    ontology,
    meddicCompleteness: meddicCompleteness(meddic),
    ontologyCompleteness: ontologyCompleteness(ontology),
    confidence: Math.max(current.confidence, incoming.confidence),
    versionNumber: current.versionNumber + 1,
    sourceInteractionId: interactionId,
  };
  return { next, changedFields: changedFields(current, next) };
}

type Property = string | number | boolean | null;

/**
 * Neo4j properties hold no maps, so MEDDIC and ontology are flattened into fixed, prefixed
 * names (`meddic_champion`, `dim_technical_fit_confidence`); the evidence quotes travel as one
 * JSON string. Names come from the vocabulary, never from data.
 */
export function qualificationProperties(meddic: Meddic, ontology: OntologyScores): Record<string, Property> {
  const properties: Record<string, Property> = {};
  for (const field of [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS]) {
    properties[`meddic_${field}`] = meddic[field]?.text ?? null;
    properties[`meddic_${field}_confidence`] = meddic[field]?.confidence ?? null;
  }
  for (const dim of ONTOLOGY_DIMENSIONS) {
    properties[`dim_${dim}`] = ontology[dim].score;
    properties[`dim_${dim}_confidence`] = ontology[dim].score === null ? null : ontology[dim].confidence;
  }
  properties.qualification_evidence_json = JSON.stringify({
    meddic: Object.fromEntries([...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS].map((f) => [f, meddic[f]?.quote ?? null])),
    ontology: Object.fromEntries(ONTOLOGY_DIMENSIONS.map((d) => [d, ontology[d].evidence])),
  });
  return properties;
}
