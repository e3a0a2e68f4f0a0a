import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";

/**
 * Column-level vocabulary of the projection that the migrations and (later) the projection
 * writers share, so that a column is spelled in exactly one place.
 */

/** Columns of `opportunities` that the CRM owns; an update of any fires the forecast trigger. */
export const CRM_OWNED_COLUMNS = ["stage", "amount", "close_date", "deal_status", "forecast_category", "next_step", "description", "lost_reason"] as const;

/** Columns of `opportunities` that the forecast pipeline owns. */
export const FORECAST_OWNED_COLUMNS = [
  "latest_forecast_amount",
  "latest_forecast_close_date",
  "latest_forecast_category",
  "latest_forecast_confidence",
  "latest_forecast_at",
  "forecast_count",
  "attribute_maturity_stage",
  "latest_user_context",
] as const;

/** Set by this system when it inserts a row; never overwritten on update. */
export const INSERT_ONLY_COLUMNS = ["name", "account_id", "currency"] as const;

/** Every `opportunities` column this system writes, on insert and on update, as of migration 0001 (which grants them); 0008 adds `graph_revision`. */
export const SYSTEM_WRITTEN_COLUMNS = [
  "tenant_id",
  "graph_opportunity_id",
  "deal_ref",
  "latest_ai_summary",
  "ai_evolution_summary",
  "ai_workflow_metadata",
  ...MEDDIC_FIELDS.flatMap((field) => [`meddic_${field}`, `meddic_${field}_confidence`]),
  "meddic_completeness",
  "meddic_paper_process",
  "meddic_competition",
  ...ONTOLOGY_DIMENSIONS.flatMap((dim) => [`dim_${dim}`, `dim_${dim}_confidence`]),
  "ontology_scores_json",
  "ontology_completeness",
  "ontology_version",
  "extraction_embedding",
  "extraction_embedding_current",
  "extraction_confidence",
  "extraction_version",
  "source_interaction_id",
  "qualification_status",
  "source_user_id",
  "ai_updated_at",
] as const;

/** What this system must never write in `opportunities`. */
export const PROTECTED_OPPORTUNITY_COLUMNS = [...CRM_OWNED_COLUMNS, ...FORECAST_OWNED_COLUMNS] as const;
