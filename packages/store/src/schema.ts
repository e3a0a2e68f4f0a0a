import type { ColumnType, Generated, JSONColumnType } from "kysely";
import type { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";

/*
 * Row types of the projection, as kysely sees them. The migrations in ./migrations are the
 * source of truth for the schema; these types follow them.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A graph node's revision as its row keeps it: a bigint, which pg reads back as a string. */
type GraphRevision = ColumnType<string | null, number | null | undefined, number | null>;
/** `numeric` comes back from pg as a string so that amounts stay exact. */
type Numeric = ColumnType<string, string | number, string | number>;
/** `vector(n)` or `real[]`: written as a number array, read back as a string or an array. */
type Embedding = ColumnType<number[] | string, number[] | string, number[] | string>;

type MeddicField = (typeof MEDDIC_FIELDS)[number];
type OntologyDimension = (typeof ONTOLOGY_DIMENSIONS)[number];

export interface InteractionsTable {
  tenant_id: string;
  interaction_id: string;
  account_id: string | null;
  user_id: string | null;
  interaction_type: string;
  source: string;
  occurred_at: Timestamp;
  deal_count: number | null;
  action_item_count: number | null;
  deals_processed_at: Timestamp | null;
  action_items_processed_at: Timestamp | null;
  /** The revision of each graph's Interaction node this row was projected from (migration 0008). */
  deals_graph_revision: GraphRevision;
  action_items_graph_revision: GraphRevision;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface OwnersTable {
  tenant_id: string;
  owner_id: string;
  name: string;
  normalized_name: string;
  graph_revision: GraphRevision;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface TopicsTable {
  tenant_id: string;
  topic_id: string;
  account_id: string | null;
  name: string;
  normalized_name: string;
  summary: string | null;
  version: Generated<number>;
  embedding: Embedding | null;
  embedding_current: Embedding | null;
  graph_revision: GraphRevision;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

interface VersionColumns {
  tenant_id: string;
  version_id: string;
  version_number: number;
  change_summary: string | null;
  changed_fields: Generated<string[]>;
  change_source_interaction_id: string | null;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  graph_revision: GraphRevision;
  created_at: CreatedAt;
}

export interface TopicVersionsTable extends VersionColumns {
  topic_id: string;
  name: string;
  summary: string | null;
}

export type ActionItemStatus = "open" | "in_progress" | "done" | "cancelled";

export interface ActionItemsTable {
  tenant_id: string;
  action_item_id: string;
  account_id: string | null;
  text: string;
  normalized_text: string;
  status: ActionItemStatus;
  due_hint: string | null;
  due_date: ColumnType<Date, Date | string, Date | string> | null;
  owner_id: string | null;
  topic_id: string | null;
  confidence: number | null;
  evidence_quote: string | null;
  version: Generated<number>;
  embedding: Embedding | null;
  embedding_current: Embedding | null;
  source_interaction_id: string | null;
  graph_revision: GraphRevision;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface ActionItemVersionsTable extends VersionColumns {
  action_item_id: string;
  text: string;
  status: ActionItemStatus;
  due_hint: string | null;
  owner_id: string | null;
  topic_id: string | null;
}

type MeddicColumns = { [F in MeddicField as `meddic_${F}`]: string | null } & {
  [F in MeddicField as `meddic_${F}_confidence`]: number | null;
};
type DimensionColumns = { [D in OntologyDimension as `dim_${D}`]: number | null } & {
  [D in OntologyDimension as `dim_${D}_confidence`]: number | null;
};

export type OpportunitiesTable = MeddicColumns &
  DimensionColumns & {
    id: Generated<string>;
    tenant_id: string;
    graph_revision: GraphRevision;
    name: string | null;
    account_id: string | null;
    currency: string | null;
    stage: string | null;
    amount: Numeric | null;
    close_date: Timestamp | null;
    deal_status: string | null;
    forecast_category: string | null;
    next_step: string | null;
    description: string | null;
    lost_reason: string | null;
    latest_forecast_amount: Numeric | null;
    latest_forecast_close_date: Timestamp | null;
    latest_forecast_category: string | null;
    latest_forecast_confidence: number | null;
    latest_forecast_at: Timestamp | null;
    forecast_count: Generated<number>;
    attribute_maturity_stage: string | null;
    latest_user_context: string | null;
    graph_opportunity_id: string | null;
    deal_ref: string | null;
    latest_ai_summary: string | null;
    ai_evolution_summary: string | null;
    ai_workflow_metadata: JSONColumnType<Record<string, unknown>> | null;
    meddic_completeness: number | null;
    meddic_paper_process: string | null;
    meddic_competition: string | null;
    ontology_scores_json: JSONColumnType<Record<string, unknown>> | null;
    ontology_completeness: number | null;
    ontology_version: string | null;
    extraction_embedding: Embedding | null;
    extraction_embedding_current: Embedding | null;
    extraction_confidence: number | null;
    extraction_version: number | null;
    source_interaction_id: string | null;
    qualification_status: string | null;
    source_user_id: string | null;
    ai_updated_at: Timestamp | null;
    created_at: CreatedAt;
  };

export type DealVersionsTable = VersionColumns & { [F in MeddicField as `meddic_${F}`]: string | null } & {
  opportunity_id: string;
  name: string;
  stage: string | null;
  amount: Numeric | null;
  currency: string | null;
  summary: string | null;
  evolution_summary: string | null;
  ontology_scores: JSONColumnType<Record<string, unknown>> | null;
  snapshot: JSONColumnType<Record<string, unknown>>;
};

export interface InteractionLinksTable {
  tenant_id: string;
  interaction_id: string;
  entity_type: "deal" | "action_item" | "topic" | "owner";
  entity_id: string;
  relation: "created" | "updated" | "mentioned";
  created_at: CreatedAt;
}

export type PipelineStatus = "queued" | "done" | "dead" | "skipped";

/** One reconcile run of one tenant. */
export interface ReconcileRunsTable {
  run_id: Generated<string>;
  tenant_id: string;
  started_at: Timestamp;
  duration_ms: number;
  repair: boolean;
  drift: number;
  orphans: number;
  kinds: JSONColumnType<unknown[]>;
  orphan_ids: JSONColumnType<Record<string, unknown>>;
  repaired: JSONColumnType<Record<string, unknown>> | null;
  created_at: CreatedAt;
}

/** Where a backfill of one tenant and kind got to, so that it resumes there. */
export interface BackfillCheckpointsTable {
  tenant_id: string;
  kind: string;
  since: string;
  last_id: string;
  rows_written: ColumnType<string, string | number, string | number>;
  updated_at: Generated<Timestamp>;
}

/** Every accepted envelope, stored before it is enqueued; jobs carry only its ids. */
export interface InboxTable {
  tenant_id: string;
  interaction_id: string;
  seq: Generated<string>;
  account_id: string | null;
  occurred_at: Timestamp;
  envelope: JSONColumnType<Record<string, unknown>>;
  /** sha256 of the envelope's canonical content (envelope-hash.ts); null for rows accepted before migration 0004. */
  content_hash: string | null;
  received_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

/** One pipeline's progress with one envelope of the inbox. */
export interface InboxPipelineRunsTable {
  tenant_id: string;
  interaction_id: string;
  pipeline: string;
  status: Generated<PipelineStatus>;
  /** The run's summary once done, the dead letter's error once dead, why once skipped. */
  result: JSONColumnType<Record<string, unknown>> | null;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface WebhookEndpointsTable {
  tenant_id: string;
  endpoint_id: string;
  url: string;
  events: string[];
  description: string | null;
  secret: string;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "dead" | "cancelled";

export interface WebhookDeliveriesTable {
  tenant_id: string;
  delivery_id: string;
  endpoint_id: string;
  event_type: string;
  interaction_id: string | null;
  pipeline: string | null;
  payload: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
  delivered_at: Timestamp | null;
}

interface RiskSignalColumns {
  tenant_id: string;
  signal_id: string;
  opportunity_id: string;
  account_id: string;
  code: string;
  status: "active" | "cleared";
  severity: "low" | "medium" | "high";
  started_at: Timestamp;
  cleared_at: Timestamp | null;
  evidence_interaction_id: string | null;
  evidence_quote: string | null;
  detail: string;
  version_number: number;
  valid_from: Timestamp;
  graph_revision: GraphRevision;
}

/** A deal's risk signal as it stands (migration 0010); cleared ones are kept. */
export interface RiskSignalsTable extends RiskSignalColumns {
  updated_at: Generated<Timestamp>;
}

/** A risk signal's earlier states, each valid until the evaluation that changed it. */
export interface RiskSignalVersionsTable extends RiskSignalColumns {
  version_id: string;
  valid_until: Timestamp;
}

export interface Database {
  interactions: InteractionsTable;
  owners: OwnersTable;
  topics: TopicsTable;
  topic_versions: TopicVersionsTable;
  action_items: ActionItemsTable;
  action_item_versions: ActionItemVersionsTable;
  opportunities: OpportunitiesTable;
  deal_versions: DealVersionsTable;
  interaction_links: InteractionLinksTable;
  inbox: InboxTable;
  inbox_pipeline_runs: InboxPipelineRunsTable;
  reconcile_runs: ReconcileRunsTable;
  backfill_checkpoints: BackfillCheckpointsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  risk_signals: RiskSignalsTable;
  risk_signal_versions: RiskSignalVersionsTable;
}
