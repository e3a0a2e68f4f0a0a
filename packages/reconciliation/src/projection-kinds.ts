import { actionItemRow, actionItemVersionRow, ownerRow, topicRow, topicVersionRow } from "@dealgraph/action-item-pipeline";
import { dealVersionRow, opportunityRow } from "@dealgraph/deal-pipeline";
import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import { interactionRow } from "@dealgraph/pipeline-kit";

/** The two graphs: the action-item graph and the deal graph. */
export type GraphName = "ai" | "deals";

/** How a column's values are compared: `real` columns hold single precision, so they are rounded first. */
export type ColumnKind = "text" | "int" | "real";

export const KIND_NAMES = [
  "deals",
  "deal_versions",
  "deal_interactions",
  "action_items",
  "action_item_versions",
  "topics",
  "topic_versions",
  "owners",
  "action_item_interactions",
] as const;
export type KindName = (typeof KIND_NAMES)[number];

/**
 * One kind of entity the projection mirrors: where it lives in the graph, which rows hold it,
 * and which projected columns its content hash covers. `rowOf` is the projection's own row
 * function, so the hash compares what Postgres holds with what the projection would write now.
 * Labels, properties, tables and columns are constants here, never data; tenant ids and paging
 * values are always parameters.
 */
export interface ProjectionKind {
  kind: KindName;
  graph: GraphName;
  label: string;
  idProperty: string;
  /** An extra condition on the node (`n`), e.g. only processed interactions. */
  graphWhere?: string;
  table: string;
  idColumn: string;
  /** An extra SQL condition on the row. */
  sqlWhere?: string;
  columns: Record<string, ColumnKind>;
  rowOf(properties: Record<string, unknown>): Record<string, unknown>;
  /** Versions are projected with their parent: the parent's kind and the property naming it. */
  parent?: { kind: KindName; idProperty: string };
}

/** A version without a parent is a graph orphan (reported as such), not a projection gap. */
const WITH_PARENT = "EXISTS { ()-[:HAS_VERSION]->(n) }";
const node = (properties: Record<string, unknown>) => ({ properties, embedding: null, embeddingCurrent: null, versions: [], links: [], owners: [] });
const meddicText = Object.fromEntries(MEDDIC_FIELDS.map((field) => [`meddic_${field}`, "text" as const]));
const dimensions = Object.fromEntries(ONTOLOGY_DIMENSIONS.map((dim) => [`dim_${dim}`, "int" as const]));

export const PROJECTION_KINDS: readonly ProjectionKind[] = [
  {
    kind: "deals",
    graph: "deals",
    label: "Deal",
    idProperty: "opportunity_id",
    table: "opportunities",
    idColumn: "graph_opportunity_id",
    columns: {
      deal_ref: "text",
      extraction_version: "int",
      qualification_status: "text",
      meddic_completeness: "real",
      ontology_completeness: "real",
      source_interaction_id: "text",
      ...meddicText,
      ...dimensions,
    },
    rowOf: (p) => opportunityRow(node(p)).write as Record<string, unknown>,
  },
  {
    kind: "deal_versions",
    graph: "deals",
    label: "DealVersion",
    idProperty: "version_id",
    graphWhere: WITH_PARENT,
    table: "deal_versions",
    idColumn: "version_id",
    columns: { opportunity_id: "text", version_number: "int", change_source_interaction_id: "text", ...meddicText },
    rowOf: (p) => dealVersionRow(p) as Record<string, unknown>,
    parent: { kind: "deals", idProperty: "opportunity_id" },
  },
  {
    kind: "deal_interactions",
    graph: "deals",
    label: "Interaction",
    idProperty: "interaction_id",
    graphWhere: "n.processed_at IS NOT NULL",
    table: "interactions",
    idColumn: "interaction_id",
    sqlWhere: "deals_processed_at IS NOT NULL",
    columns: { deal_count: "int", account_id: "text" },
    rowOf: (p) => interactionRow(p, "deals") as Record<string, unknown>,
  },
  {
    kind: "action_items",
    graph: "ai",
    label: "ActionItem",
    idProperty: "action_item_id",
    table: "action_items",
    idColumn: "action_item_id",
    columns: { account_id: "text", text: "text", status: "text", owner_id: "text", topic_id: "text", version: "int" },
    rowOf: (p) => actionItemRow(node(p)).row as Record<string, unknown>,
  },
  {
    kind: "action_item_versions",
    graph: "ai",
    label: "ActionItemVersion",
    idProperty: "version_id",
    graphWhere: WITH_PARENT,
    table: "action_item_versions",
    idColumn: "version_id",
    columns: { action_item_id: "text", version_number: "int", text: "text", status: "text" },
    rowOf: (p) => actionItemVersionRow(p) as Record<string, unknown>,
    parent: { kind: "action_items", idProperty: "action_item_id" },
  },
  {
    kind: "topics",
    graph: "ai",
    label: "Topic",
    idProperty: "topic_id",
    table: "topics",
    idColumn: "topic_id",
    columns: { account_id: "text", name: "text", summary: "text", version: "int" },
    rowOf: (p) => topicRow(node(p)).row as Record<string, unknown>,
  },
  {
    kind: "topic_versions",
    graph: "ai",
    label: "TopicVersion",
    idProperty: "version_id",
    graphWhere: WITH_PARENT,
    table: "topic_versions",
    idColumn: "version_id",
    columns: { topic_id: "text", version_number: "int", name: "text" },
    rowOf: (p) => topicVersionRow(p) as Record<string, unknown>,
    parent: { kind: "topics", idProperty: "topic_id" },
  },
  {
    kind: "owners",
    graph: "ai",
    label: "Owner",
    idProperty: "owner_id",
    table: "owners",
    idColumn: "owner_id",
    columns: { name: "text", normalized_name: "text" },
    rowOf: (p) => ownerRow(p) as Record<string, unknown>,
  },
  {
    kind: "action_item_interactions",
    graph: "ai",
    label: "Interaction",
    idProperty: "interaction_id",
    graphWhere: "n.processed_at IS NOT NULL",
    table: "interactions",
    idColumn: "interaction_id",
    sqlWhere: "action_items_processed_at IS NOT NULL",
    columns: { action_item_count: "int", account_id: "text" },
    rowOf: (p) => interactionRow(p, "action_items") as Record<string, unknown>,
  },
];

export function projectionKind(name: KindName): ProjectionKind {
  const found = PROJECTION_KINDS.find((k) => k.kind === name);
  if (!found) throw new Error(`no projection kind ${name}`);
  return found;
}
