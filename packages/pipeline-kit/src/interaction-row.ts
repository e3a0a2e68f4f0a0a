import { upsertRows, type Database, type InteractionsTable, type RowsUpsert } from "@dealgraph/store";
import type { Insertable, Transaction } from "kysely";
import { graphRevision } from "./projected-rows";

/** Which pipeline's columns of the shared `interactions` row a projection writes. */
export type InteractionSide = "deals" | "action_items";

const SIDE_COLUMNS = {
  deals: { count: "deal_count", graphCount: "deal_count", processedAt: "deals_processed_at", revision: "deals_graph_revision" },
  action_items: {
    count: "action_item_count",
    graphCount: "action_item_count",
    processedAt: "action_items_processed_at",
    revision: "action_items_graph_revision",
  },
} as const;

/** The columns of the `interactions` row that belong to one pipeline. */
export const interactionColumns = (side: InteractionSide) => SIDE_COLUMNS[side];

const iso = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const textOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** An Interaction node (plain properties) as one side of its `interactions` row. */
export function interactionRow(properties: Record<string, unknown>, side: InteractionSide): Insertable<InteractionsTable> {
  const occurredAt = iso(properties.occurred_at);
  if (occurredAt === null) throw new Error(`interaction ${String(properties.interaction_id)} has no occurred_at`);
  const columns = SIDE_COLUMNS[side];
  const count = properties[columns.graphCount];
  return {
    tenant_id: String(properties.tenant_id),
    interaction_id: String(properties.interaction_id),
    account_id: accountColumn(properties.account_id),
    user_id: textOrNull(properties.user_id),
    interaction_type: String(properties.interaction_type),
    source: String(properties.source),
    occurred_at: occurredAt,
    [columns.count]: typeof count === "number" ? count : null,
    [columns.processedAt]: iso(properties.processed_at),
    [columns.revision]: graphRevision(properties),
  };
}

/**
 * The row as an upsert that inserts it or updates only this side's columns: the two pipelines
 * share the row and neither overwrites the other's count.
 */
export function interactionUpsert(properties: Record<string, unknown>, side: InteractionSide): RowsUpsert {
  return {
    table: "interactions",
    rows: [interactionRow(properties, side)],
    rule: { key: ["tenant_id", "interaction_id"], insertOnly: ["account_id", "user_id", "interaction_type", "source", "occurred_at"], touch: "updated_at" },
  };
}

export function upsertInteractionRow(trx: Transaction<Database>, properties: Record<string, unknown>, side: InteractionSide): Promise<number> {
  const { table, rows, rule } = interactionUpsert(properties, side);
  return upsertRows(trx, table, rows, rule);
}

/**
 * The account scope of an envelope that names none. The deal pipeline refuses such envelopes;
 * the action-item pipeline matches their items among the tenant's other account-less items.
 * The projection writes it as a null `account_id`.
 */
export const NO_ACCOUNT = "(no account)";

/** A graph account id as a projection column. */
export const accountColumn = (accountId: unknown): string | null => (typeof accountId === "string" && accountId !== NO_ACCOUNT ? accountId : null);
