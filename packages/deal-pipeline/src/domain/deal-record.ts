import {
  MEDDIC_FIELDS,
  ONTOLOGY_DIMENSIONS,
  QUALIFICATION_EXTRAS,
  parseStoredEvidence,
  type DealStage,
  type ExtractedDeal,
  type Meddic,
  type OntologyScores,
} from "@dealgraph/extraction";
import { decodeStoredNode, stored, storedRecordCodec } from "@dealgraph/errors";
import { normalizeKey } from "@dealgraph/matching";
import { z } from "zod";
import { changedFields, type DealState } from "./deal-changes";
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
  sourceUserId: string | null;
}

const STAGE_ORDER = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"] as const satisfies readonly DealStage[];

/**
 * Stage signals in a call show progress, not regress: a later call that merely does not repeat
 * the proposal talk leaves the deal at proposal. A closed outcome always applies.
 */
export function nextStage(current: DealStage, incoming: DealStage): DealStage {
  if (incoming === "closed_won" || incoming === "closed_lost") return incoming;
  if (current === "closed_won" || current === "closed_lost") return current;
  return STAGE_ORDER.indexOf(incoming) > STAGE_ORDER.indexOf(current) ? incoming : current;
}

/** Where a change came from: the interaction and who recorded it. */
export interface DealSource {
  interactionId: string;
  userId: string | null;
}

export function newDealRecord(
  deal: ExtractedDeal,
  ids: { opportunityId: string; dealRef: string; tenantId: string; accountId: string },
  source: DealSource,
): DealRecord {
  return {
    ...ids,
    sourceInteractionId: source.interactionId,
    sourceUserId: source.userId,
    name: deal.name,
    normalizedName: normalizeKey(deal.name),
    stage: deal.stage,
    amount: deal.amount,
    currency: deal.currency,
    closeTimeframe: deal.close_timeframe,
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
 * What one more mention of the deal adds: MEDDIC and ontology by their merge rules, the latest
 * stated amount (an unstated one keeps the old), the stage by `nextStage`. The name, the
 * summaries and the version number stay: the name is the CRM's once inserted, the summaries
 * are re-written by the synthesis, and one interaction makes at most one version.
 */
export function absorbDeal(current: DealRecord, incoming: ExtractedDeal, source: DealSource): DealRecord {
  const meddic = mergeMeddic(current.meddic, incoming.meddic);
  const ontology = mergeOntology(current.ontology, incoming.ontology);
  return {
    ...current,
    stage: nextStage(current.stage, incoming.stage),
    amount: incoming.amount ?? current.amount,
    currency: incoming.amount === null ? current.currency : incoming.currency,
    closeTimeframe: incoming.close_timeframe ?? current.closeTimeframe,
    meddic,
    ontology,
    meddicCompleteness: meddicCompleteness(meddic),
    ontologyCompleteness: ontologyCompleteness(ontology),
    confidence: Math.max(current.confidence, incoming.confidence),
    sourceInteractionId: source.interactionId,
    sourceUserId: source.userId ?? current.sourceUserId,
  };
}

/**
 * The stored deal after an interaction that mentioned it once or more: every mention absorbed
 * in order, then one new version number. The summaries are still the stored ones here; the
 * synthesis replaces them (`withNarrative`).
 */
export function mergeDealRecord(current: DealRecord, incoming: readonly ExtractedDeal[], source: DealSource): { next: DealRecord; changedFields: string[] } {
  const absorbed = incoming.reduce((record, deal) => absorbDeal(record, deal, source), current);
  const next = { ...absorbed, versionNumber: current.versionNumber + 1 };
  return { next, changedFields: changedFields(current, next) };
}

export function withNarrative(record: DealRecord, narrative: { summary: string; evolutionSummary: string }): DealRecord {
  return { ...record, summary: narrative.summary, evolutionSummary: narrative.evolutionSummary };
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

/** The stored properties of a deal, without embeddings (they travel separately). */
export function dealProperties(record: DealRecord): Record<string, unknown> {
  return { ...dealCodec.encode(record), ...qualificationProperties(record.meddic, record.ontology) };
}

/** The evidence quotes are kept as one JSON property; text that is not that JSON is a damaged node. */
const evidenceJson = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    const evidence = parseStoredEvidence(value);
    if (evidence === null) {
      ctx.addIssue({ code: "custom", message: "Must be JSON of the qualification evidence" });
      return z.NEVER;
    }
    return evidence;
  });

/** The deal's own properties; MEDDIC and the ontology are flattened beside them (`qualificationProperties`). */
const dealCodec = storedRecordCodec("Deal", "opportunity_id", {
  opportunity_id: stored.text(),
  tenant_id: stored.text(),
  account_id: stored.text(),
  deal_ref: stored.text(),
  name: stored.text(),
  normalized_name: stored.text(),
  stage: z.enum(STAGE_ORDER, { error: `Must be one of ${STAGE_ORDER.join(", ")}` }),
  amount: stored.number(null),
  currency: stored.optionalText(),
  close_timeframe: stored.optionalText(),
  summary: stored.textOr(""),
  evolution_summary: stored.optionalText(),
  meddic_completeness: stored.number(0),
  ontology_completeness: stored.number(0),
  confidence: stored.number(0),
  version_number: stored.number(1),
  source_interaction_id: stored.text(),
  source_user_id: stored.optionalText(),
});

const storedEvidenceSchema = z.looseObject({ qualification_evidence_json: evidenceJson });

/**
 * The inverse of the graph's flattened properties: a stored deal back into a DealRecord, so a
 * merge starts from what the graph holds. A node this system did not write throws a
 * StoredRecordError naming its properties.
 */
export function recordFromProperties(properties: Record<string, unknown>): DealRecord {
  const record = dealCodec.decode(properties);
  // The per-field qualification properties are many and uniform: read leniently, as written.
  const text = (key: string) => (typeof properties[key] === "string" ? (properties[key] as string) : null);
  const num = (key: string) => (typeof properties[key] === "number" ? (properties[key] as number) : null);
  const evidence = decodeStoredNode("Deal", "opportunity_id", storedEvidenceSchema, properties).qualification_evidence_json;
  const meddic = Object.fromEntries(
    [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS].map((field) => {
      const value = text(`meddic_${field}`);
      return [field, value === null ? null : { text: value, confidence: num(`meddic_${field}_confidence`) ?? 0, quote: evidence.meddic[field] ?? value }];
    }),
  ) as Meddic;
  const ontology = Object.fromEntries(
    ONTOLOGY_DIMENSIONS.map((dim) => {
      const score = num(`dim_${dim}`);
      return [
        dim,
        score === null
          ? { score: null, confidence: 0, evidence: null }
          : { score, confidence: num(`dim_${dim}_confidence`) ?? 0, evidence: evidence.ontology[dim] ?? null },
      ];
    }),
  ) as OntologyScores;
  return { ...record, meddic, ontology };
}
