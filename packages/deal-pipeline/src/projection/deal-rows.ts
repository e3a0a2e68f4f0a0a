import { MEDDIC_FIELDS, ONTOLOGY, ONTOLOGY_DIMENSIONS, ONTOLOGY_VERSION, QUALIFICATION_EXTRAS } from "@dealgraph/extraction";
import { graphRevision, interactionLinkRows, versionHistoryColumns } from "@dealgraph/pipeline-kit";
import type { DealVersionsTable, OpportunitiesTable } from "@dealgraph/store";
import type { Insertable } from "kysely";
import { recordFromProperties, type DealRecord } from "../domain/deal-record";
import { qualificationStatus } from "../domain/qualification-merge";
import type { StoredDeal } from "../graph/deal-graph-repository";

/*
 * The projection as a pure function of the graph: every row below is computed from what the
 * deal graph holds, never from the pipeline's in-memory state, so a live run, a replay and a
 * backfill write the same rows.
 */

/** `opportunities` columns this system writes on insert and update (embeddings travel apart). */
export type OpportunityWrite = Omit<
  Insertable<OpportunitiesTable>,
  "extraction_embedding" | "extraction_embedding_current" | "name" | "account_id" | "currency"
>;

/** Set on insert only: afterwards the CRM owns them. */
export type OpportunityInsertOnly = Pick<Insertable<OpportunitiesTable>, "name" | "account_id" | "currency">;

/** An opportunity's row without its embeddings (the projection encodes them for the column type it finds). */
export interface OpportunityRow {
  write: OpportunityWrite;
  insertOnly: OpportunityInsertOnly;
}

const iso = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function ontologyJson(record: DealRecord): Record<string, unknown> {
  return Object.fromEntries(
    ONTOLOGY_DIMENSIONS.map((dim) => [
      dim,
      { group: ONTOLOGY[dim].group, score: record.ontology[dim].score, confidence: record.ontology[dim].confidence, evidence: record.ontology[dim].evidence },
    ]),
  );
}

export function opportunityRow(deal: StoredDeal): OpportunityRow {
  const record = recordFromProperties(deal.properties);
  const meddicColumns = Object.fromEntries(
    MEDDIC_FIELDS.flatMap((field) => [
      [`meddic_${field}`, record.meddic[field]?.text ?? null],
      [`meddic_${field}_confidence`, record.meddic[field]?.confidence ?? null],
    ]),
  );
  const dimensionColumns = Object.fromEntries(
    ONTOLOGY_DIMENSIONS.flatMap((dim) => [
      [`dim_${dim}`, record.ontology[dim].score],
      [`dim_${dim}_confidence`, record.ontology[dim].score === null ? null : record.ontology[dim].confidence],
    ]),
  );
  const write = {
    tenant_id: record.tenantId,
    graph_opportunity_id: record.opportunityId,
    deal_ref: record.dealRef,
    latest_ai_summary: record.summary,
    ai_evolution_summary: record.evolutionSummary,
    // The AI's own view of stage and amount: the CRM owns the `stage` and `amount` columns.
    ai_workflow_metadata: JSON.stringify({
      ai_stage: record.stage,
      ai_amount: record.amount,
      ai_currency: record.currency,
      close_timeframe: record.closeTimeframe,
      valid_from: iso(deal.properties.valid_from),
      qualification_quotes: Object.fromEntries([...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS].map((field) => [field, record.meddic[field]?.quote ?? null])),
    }),
    ...meddicColumns,
    meddic_completeness: record.meddicCompleteness,
    meddic_paper_process: record.meddic.paper_process?.text ?? null,
    meddic_competition: record.meddic.competition?.text ?? null,
    ...dimensionColumns,
    ontology_scores_json: JSON.stringify(ontologyJson(record)),
    ontology_completeness: record.ontologyCompleteness,
    ontology_version: ONTOLOGY_VERSION,
    extraction_confidence: record.confidence,
    extraction_version: record.versionNumber,
    source_interaction_id: record.sourceInteractionId,
    qualification_status: qualificationStatus(record.meddicCompleteness),
    source_user_id: record.sourceUserId,
    ai_updated_at: iso(deal.properties.updated_at) ?? new Date().toISOString(),
    graph_revision: graphRevision(deal.properties),
  } as OpportunityWrite;
  return {
    write,
    insertOnly: { name: record.name, account_id: record.accountId, currency: record.currency },
  };
}

/** A `DealVersion` node (a flattened snapshot of the deal) as a `deal_versions` row. */
export function dealVersionRow(version: Record<string, unknown>): Insertable<DealVersionsTable> {
  const record = recordFromProperties(version);
  return {
    tenant_id: record.tenantId,
    opportunity_id: record.opportunityId,
    version_number: record.versionNumber,
    name: record.name,
    stage: record.stage,
    amount: record.amount,
    currency: record.currency,
    summary: record.summary,
    evolution_summary: record.evolutionSummary,
    ...(Object.fromEntries(MEDDIC_FIELDS.map((field) => [`meddic_${field}`, record.meddic[field]?.text ?? null])) as Record<
      `meddic_${(typeof MEDDIC_FIELDS)[number]}`,
      string | null
    >),
    ontology_scores: JSON.stringify(ontologyJson(record)),
    snapshot: JSON.stringify(version),
    ...versionHistoryColumns("DealVersion", version),
    graph_revision: graphRevision(version),
  };
}

export const dealLinkRows = (deal: StoredDeal) => interactionLinkRows(deal, "deal", "opportunity_id");
