/** The two graphs: the action-item graph and the deal graph. */
export type GraphName = "ai" | "deals";

/**
 * Every kind of entity the projection mirrors: where it lives in the graph and which Postgres
 * table holds its rows. Labels, properties, tables and columns are constants from this list,
 * never from data; tenant ids and paging values are always parameters.
 */
export interface ProjectionKind {
  kind: string;
  graph: GraphName;
  label: string;
  idProperty: string;
  /** An extra condition on the node (`n`), e.g. only processed interactions. */
  graphWhere?: string;
  table: string;
  idColumn: string;
  /** An extra SQL condition on the row. */
  sqlWhere?: string;
}

export const PROJECTION_KINDS: readonly ProjectionKind[] = [
  { kind: "deals", graph: "deals", label: "Deal", idProperty: "opportunity_id", table: "opportunities", idColumn: "graph_opportunity_id" },
  { kind: "deal_versions", graph: "deals", label: "DealVersion", idProperty: "version_id", table: "deal_versions", idColumn: "version_id" },
  {
    kind: "deal_interactions",
    graph: "deals",
    label: "Interaction",
    idProperty: "interaction_id",
    graphWhere: "n.processed_at IS NOT NULL",
    table: "interactions",
    idColumn: "interaction_id",
    sqlWhere: "deals_processed_at IS NOT NULL",
  },
  { kind: "action_items", graph: "ai", label: "ActionItem", idProperty: "action_item_id", table: "action_items", idColumn: "action_item_id" },
  { kind: "action_item_versions", graph: "ai", label: "ActionItemVersion", idProperty: "version_id", table: "action_item_versions", idColumn: "version_id" },
  { kind: "topics", graph: "ai", label: "Topic", idProperty: "topic_id", table: "topics", idColumn: "topic_id" },
  { kind: "topic_versions", graph: "ai", label: "TopicVersion", idProperty: "version_id", table: "topic_versions", idColumn: "version_id" },
  { kind: "owners", graph: "ai", label: "Owner", idProperty: "owner_id", table: "owners", idColumn: "owner_id" },
  {
    kind: "action_item_interactions",
    graph: "ai",
    label: "Interaction",
    idProperty: "interaction_id",
    graphWhere: "n.processed_at IS NOT NULL",
    table: "interactions",
    idColumn: "interaction_id",
    sqlWhere: "action_items_processed_at IS NOT NULL",
  },
];
