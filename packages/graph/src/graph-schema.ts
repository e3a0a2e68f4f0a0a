/**
 * The schema of the two graphs (DESIGN.md §7), as data. `schemaStatements` turns it into
 * idempotent Cypher (`IF NOT EXISTS`) using only constraint kinds Neo4j Community has:
 * property uniqueness, single and composite.
 */

import type { GraphName } from "@dealgraph/config";

interface NodeKey {
  label: string;
  /** The per-tenant id property; the key is `(tenant_id, idProperty)`. */
  idProperty: string;
}

interface GraphSchema {
  keys: NodeKey[];
  /** Extra uniqueness that protects a rule under concurrent writers. */
  uniques: Array<{ name: string; label: string; properties: string[] }>;
  lookups: Array<{ name: string; label: string; properties: string[] }>;
  vectors: Array<{ label: string; property: "embedding" | "embedding_current" }>;
}

const shared: Pick<GraphSchema, "keys" | "lookups"> = {
  keys: [
    { label: "Account", idProperty: "account_id" },
    { label: "Interaction", idProperty: "interaction_id" },
  ],
  lookups: [{ name: "interaction_account", label: "Interaction", properties: ["tenant_id", "account_id"] }],
};

const embeddings = (label: string): GraphSchema["vectors"] => [
  { label, property: "embedding" },
  { label, property: "embedding_current" },
];

export const GRAPH_SCHEMAS: Record<GraphName, GraphSchema> = {
  action_items: {
    keys: [
      ...shared.keys,
      { label: "ActionItem", idProperty: "action_item_id" },
      { label: "ActionItemVersion", idProperty: "version_id" },
      { label: "Owner", idProperty: "owner_id" },
      { label: "Topic", idProperty: "topic_id" },
      { label: "TopicVersion", idProperty: "version_id" },
    ],
    uniques: [
      // Owners are resolved by normalised name; two writers must not both create "Dana".
      { name: "owner_name", label: "Owner", properties: ["tenant_id", "normalized_name"] },
      { name: "action_item_version_number", label: "ActionItemVersion", properties: ["tenant_id", "action_item_id", "version_number"] },
      { name: "topic_version_number", label: "TopicVersion", properties: ["tenant_id", "topic_id", "version_number"] },
    ],
    lookups: [
      ...shared.lookups,
      { name: "action_item_account", label: "ActionItem", properties: ["tenant_id", "account_id"] },
      { name: "action_item_text", label: "ActionItem", properties: ["tenant_id", "account_id", "normalized_text"] },
      { name: "topic_account", label: "Topic", properties: ["tenant_id", "account_id"] },
      { name: "topic_name", label: "Topic", properties: ["tenant_id", "account_id", "normalized_name"] },
    ],
    vectors: [...embeddings("ActionItem"), ...embeddings("Topic")],
  },
  deals: {
    keys: [
      ...shared.keys,
      { label: "Deal", idProperty: "opportunity_id" },
      { label: "DealVersion", idProperty: "version_id" },
      { label: "RiskSignal", idProperty: "signal_id" },
      { label: "RiskSignalVersion", idProperty: "version_id" },
    ],
    uniques: [
      { name: "deal_version_number", label: "DealVersion", properties: ["tenant_id", "opportunity_id", "version_number"] },
      { name: "risk_signal_version_number", label: "RiskSignalVersion", properties: ["tenant_id", "signal_id", "version_number"] },
    ],
    lookups: [
      ...shared.lookups,
      { name: "deal_account", label: "Deal", properties: ["tenant_id", "account_id"] },
      { name: "deal_stage", label: "Deal", properties: ["tenant_id", "stage"] },
      { name: "deal_name", label: "Deal", properties: ["tenant_id", "account_id", "normalized_name"] },
      { name: "risk_signal_account", label: "RiskSignal", properties: ["tenant_id", "account_id"] },
    ],
    vectors: embeddings("Deal"),
  },
};

const snake = (label: string): string => label.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();

/** The name of the vector index on `label.property`, e.g. `deal_embedding_current`. */
export function vectorIndexName(label: string, property: "embedding" | "embedding_current"): string {
  return `${snake(label)}_${property}`;
}

function props(properties: string[]): string {
  return `(${properties.map((p) => `n.${p}`).join(", ")})`;
}

/**
 * Cypher DDL for one graph. Neo4j takes no parameters in schema commands, so the statements are
 * built from the constants above and from `dimension`, which is checked to be a whole number.
 */
export function schemaStatements(kind: GraphName, dimension: number): string[] {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 4096) {
    throw new RangeError(`embedding dimension must be a whole number from 1 to 4096, got ${dimension}`);
  }
  const schema = GRAPH_SCHEMAS[kind];
  return [
    ...schema.keys.map(
      ({ label, idProperty }) => `CREATE CONSTRAINT ${snake(label)}_key IF NOT EXISTS FOR (n:${label}) REQUIRE ${props(["tenant_id", idProperty])} IS UNIQUE`,
    ),
    ...schema.uniques.map(
      ({ name, label, properties }) => `CREATE CONSTRAINT ${name}_unique IF NOT EXISTS FOR (n:${label}) REQUIRE ${props(properties)} IS UNIQUE`,
    ),
    ...schema.lookups.map(({ name, label, properties }) => `CREATE INDEX ${name}_lookup IF NOT EXISTS FOR (n:${label}) ON ${props(properties)}`),
    ...schema.vectors.map(
      ({ label, property }) =>
        `CREATE VECTOR INDEX ${vectorIndexName(label, property)} IF NOT EXISTS FOR (n:${label}) ON n.${property} ` +
        `OPTIONS { indexConfig: { \`vector.dimensions\`: ${dimension}, \`vector.similarity_function\`: 'cosine' } }`,
    ),
  ];
}
