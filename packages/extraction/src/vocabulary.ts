/*
 * The fixed vocabulary of extraction. Labels, properties and columns are derived from these lists
 * and never from model output, so a model cannot invent a field.
 */

export const MEDDIC_FIELDS = ["metrics", "economic_buyer", "decision_criteria", "decision_process", "identified_pain", "champion"] as const;
export type MeddicField = (typeof MEDDIC_FIELDS)[number];

/** Latest wins for these; the others accumulate across calls (DESIGN §6, stage 3). */
export const REPLACEABLE_MEDDIC_FIELDS = ["metrics", "economic_buyer", "champion"] as const;
export const ADDITIVE_MEDDIC_FIELDS = ["decision_criteria", "decision_process", "identified_pain"] as const;

/** Not part of the six MEDDIC letters, but projected (`meddic_paper_process`, `meddic_competition`). */
export const QUALIFICATION_EXTRAS = ["paper_process", "competition"] as const;
export type QualificationExtra = (typeof QUALIFICATION_EXTRAS)[number];

export const DEAL_STAGES = ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

export const ACTION_ITEM_STATUSES = ["open", "in_progress", "done", "cancelled"] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

export interface OntologyDimensionDefinition {
  group: "qualification" | "competitive" | "commercial" | "engagement" | "timeline" | "technical" | "organizational";
  /** What a score of 3 means; 0 is its opposite. Risk dimensions score the risk itself. */
  meaning: string;
}

/** Names the dimension set and meanings below; bump it when either changes (projected as `ontology_version`). */
export const ONTOLOGY_VERSION = "2026-1";

/**
 * The 15 ontology dimensions, each scored 0–3 (or null when the conversation says nothing).
 * The meanings are what the prompts tell a model and what the offline rules implement.
 */
export const ONTOLOGY: Readonly<Record<OntologyDimension, OntologyDimensionDefinition>> = {
  champion_strength: { group: "qualification", meaning: "a named buyer-side person actively pushes for the deal internally" },
  economic_buyer_access: { group: "qualification", meaning: "the person who signs or owns the budget is known and engaged in the conversation" },
  identified_pain: { group: "qualification", meaning: "the buyer states a concrete, quantified problem" },
  metrics_business_case: { group: "qualification", meaning: "success is measured by figures the buyer stated" },
  decision_criteria_alignment: { group: "qualification", meaning: "the buyer's stated requirements are met by the offer" },
  decision_process_clarity: { group: "qualification", meaning: "the steps and approvals to a decision are spelled out" },
  competitive_position: { group: "competitive", meaning: "no competitor or incumbent threatens the deal" },
  incumbent_displacement_risk: { group: "competitive", meaning: "risk: an incumbent solution is entrenched and must be displaced" },
  pricing_alignment: { group: "commercial", meaning: "the buyer accepts the price or has budget for it" },
  procurement_legal_progress: { group: "commercial", meaning: "procurement and legal steps are under way or done" },
  responsiveness: { group: "engagement", meaning: "the buyer takes on and completes next steps" },
  close_date_credibility: { group: "timeline", meaning: "a close timeframe is stated and tied to a budget or event" },
  technical_fit: { group: "technical", meaning: "the offer meets the stated technical requirements" },
  integration_security_risk: { group: "technical", meaning: "risk: integration or security reviews stand in the way" },
  change_readiness: { group: "organizational", meaning: "the buyer's organisation is ready and willing to change how it works" },
};

export const ONTOLOGY_DIMENSIONS = [
  "champion_strength",
  "economic_buyer_access",
  "identified_pain",
  "metrics_business_case",
  "decision_criteria_alignment",
  "decision_process_clarity",
  "competitive_position",
  "incumbent_displacement_risk",
  "pricing_alignment",
  "procurement_legal_progress",
  "responsiveness",
  "close_date_credibility",
  "technical_fit",
  "integration_security_risk",
  "change_readiness",
] as const;
export type OntologyDimension = (typeof ONTOLOGY_DIMENSIONS)[number];
