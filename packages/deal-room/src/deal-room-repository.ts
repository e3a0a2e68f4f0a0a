import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import type { OpportunityRow, VersionRow } from "./deal-timeline";
import type { SignalState } from "./signal-history";

/*
 * What the deal room reads, all of it from the Postgres projection and all of it inside a
 * tenant transaction: row-level security answers only the caller's tenant, whatever id it asks
 * for. Each page is one transaction of a few indexed queries.
 */

export interface AccountSummary {
  accountId: string;
  openDeals: number;
  deals: number;
  openItems: number;
  activeSignals: number;
  lastInteractionAt: Date | null;
}

export interface DealSummary {
  opportunityId: string;
  name: string | null;
  dealRef: string | null;
  metadata: unknown;
  meddicCompleteness: number | null;
  ontologyCompleteness: number | null;
}

export interface ItemRow {
  actionItemId: string;
  text: string;
  status: string;
  dueDate: Date | null;
  dueHint: string | null;
  owner: string | null;
  topic: string | null;
  evidenceQuote: string | null;
  sourceInteractionId: string | null;
}

/** How many of an account's items a page lists (open ones first). */
export const ITEMS_PER_ACCOUNT = 5_000;

const SIGNAL_COLUMNS = [
  "signal_id",
  "opportunity_id",
  "code",
  "status",
  "severity",
  "started_at",
  "cleared_at",
  "evidence_interaction_id",
  "evidence_quote",
  "detail",
  "version_number",
] as const;

export class DealRoomRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async accounts(tenantId: string): Promise<AccountSummary[]> {
    return withTenant(this.db, tenantId, async (trx) => {
      const [deals, items, signals, interactions] = await Promise.all([
        trx
          .selectFrom("opportunities")
          .select((eb) => [
            "account_id",
            eb.fn.countAll<string>().as("deals"),
            sql<string>`count(*) filter (where coalesce(ai_workflow_metadata->>'ai_stage', '') not in ('closed_won', 'closed_lost'))`.as("open"),
          ])
          .where("tenant_id", "=", tenantId)
          .where("graph_opportunity_id", "is not", null)
          .groupBy("account_id")
          .execute(),
        trx
          .selectFrom("action_items")
          .select((eb) => ["account_id", eb.fn.countAll<string>().as("open")])
          .where("tenant_id", "=", tenantId)
          .where("status", "in", ["open", "in_progress"])
          .groupBy("account_id")
          .execute(),
        trx
          .selectFrom("risk_signals")
          .select((eb) => ["account_id", eb.fn.countAll<string>().as("active")])
          .where("tenant_id", "=", tenantId)
          .where("status", "=", "active")
          .groupBy("account_id")
          .execute(),
        trx
          .selectFrom("interactions")
          .select((eb) => ["account_id", eb.fn.max("occurred_at").as("last")])
          .where("tenant_id", "=", tenantId)
          .groupBy("account_id")
          .execute(),
      ]);
      const ids = new Set([...deals, ...items, ...interactions].map((r) => r.account_id).filter((id): id is string => id !== null));
      const by = <R extends { account_id: string | null }>(rows: R[]) => new Map(rows.map((r) => [r.account_id, r]));
      const [d, i, s, x] = [by(deals), by(items), by(signals), by(interactions)];
      return [...ids].sort().map((accountId) => ({
        accountId,
        deals: Number(d.get(accountId)?.deals ?? 0),
        openDeals: Number(d.get(accountId)?.open ?? 0),
        openItems: Number(i.get(accountId)?.open ?? 0),
        activeSignals: Number(s.get(accountId)?.active ?? 0),
        lastInteractionAt: (x.get(accountId)?.last as Date | null | undefined) ?? null,
      }));
    });
  }

  /**
   * The account's deals, its action items still to do (every item with `allItems`), how many
   * done or cancelled items each owner has, and its signal states; null when the tenant has
   * nothing of the account.
   */
  async account(tenantId: string, accountId: string, options: { allItems?: boolean } = {}) {
    return withTenant(this.db, tenantId, async (trx) => {
      const items = trx
        .selectFrom("action_items as a")
        .leftJoin("owners as o", (join) => join.onRef("o.tenant_id", "=", "a.tenant_id").onRef("o.owner_id", "=", "a.owner_id"))
        .where("a.tenant_id", "=", tenantId)
        .where("a.account_id", "=", accountId);
      const [deals, listed, closed, signals, signalVersions] = await Promise.all([
        trx
          .selectFrom("opportunities")
          .select(["graph_opportunity_id", "name", "deal_ref", "ai_workflow_metadata", "meddic_completeness", "ontology_completeness"])
          .where("tenant_id", "=", tenantId)
          .where("account_id", "=", accountId)
          .where("graph_opportunity_id", "is not", null)
          .orderBy("name")
          .execute(),
        items
          .leftJoin("topics as t", (join) => join.onRef("t.tenant_id", "=", "a.tenant_id").onRef("t.topic_id", "=", "a.topic_id"))
          .select([
            "a.action_item_id",
            "a.text",
            "a.status",
            "a.due_date",
            "a.due_hint",
            "o.name as owner",
            "t.name as topic",
            "a.evidence_quote",
            "a.source_interaction_id",
          ])
          .$if(options.allItems !== true, (q) => q.where("a.status", "in", ["open", "in_progress"]))
          .orderBy(sql`a.status in ('open', 'in_progress')`, "desc")
          .orderBy("o.name")
          .orderBy("a.due_date")
          .limit(ITEMS_PER_ACCOUNT)
          .execute(),
        items
          .select((eb) => ["o.name as owner", eb.fn.countAll<string>().as("count")])
          .where("a.status", "in", ["done", "cancelled"])
          .groupBy("o.name")
          .execute(),
        trx.selectFrom("risk_signals").select(SIGNAL_COLUMNS).where("tenant_id", "=", tenantId).where("account_id", "=", accountId).execute(),
        trx.selectFrom("risk_signal_versions").select(SIGNAL_COLUMNS).where("tenant_id", "=", tenantId).where("account_id", "=", accountId).execute(),
      ]);
      if (deals.length === 0 && listed.length === 0 && closed.length === 0) return null;
      return {
        deals: deals.map((d): DealSummary => ({
          opportunityId: d.graph_opportunity_id!,
          name: d.name,
          dealRef: d.deal_ref,
          metadata: d.ai_workflow_metadata,
          meddicCompleteness: d.meddic_completeness,
          ontologyCompleteness: d.ontology_completeness,
        })),
        items: listed.map((i): ItemRow => ({
          actionItemId: i.action_item_id,
          text: i.text,
          status: i.status,
          dueDate: i.due_date,
          dueHint: i.due_hint,
          owner: i.owner,
          topic: i.topic,
          evidenceQuote: i.evidence_quote,
          sourceInteractionId: i.source_interaction_id,
        })),
        /** Done or cancelled items per owner (null: no owner). */
        closedItems: new Map(closed.map((c) => [c.owner, Number(c.count)])),
        allItems: options.allItems === true,
        signals: [...signals, ...signalVersions] as SignalState[],
      };
    });
  }

  /** One deal with its versions, signal states and the interactions that discussed it; null when the tenant has no such deal. */
  async deal(tenantId: string, opportunityId: string) {
    return withTenant(this.db, tenantId, async (trx) => {
      const current = await trx
        .selectFrom("opportunities")
        .selectAll()
        .where("tenant_id", "=", tenantId)
        .where("graph_opportunity_id", "=", opportunityId)
        .executeTakeFirst();
      if (!current) return null;
      const [versions, signals, signalVersions, interactions] = await Promise.all([
        trx
          .selectFrom("deal_versions")
          .select(["version_number", "name", "valid_from", "valid_until", "changed_fields", "change_summary", "change_source_interaction_id", "snapshot"])
          .where("tenant_id", "=", tenantId)
          .where("opportunity_id", "=", opportunityId)
          .orderBy("version_number")
          .execute(),
        trx.selectFrom("risk_signals").select(SIGNAL_COLUMNS).where("tenant_id", "=", tenantId).where("opportunity_id", "=", opportunityId).execute(),
        trx.selectFrom("risk_signal_versions").select(SIGNAL_COLUMNS).where("tenant_id", "=", tenantId).where("opportunity_id", "=", opportunityId).execute(),
        trx
          .selectFrom("interaction_links as l")
          .innerJoin("interactions as i", (join) => join.onRef("i.tenant_id", "=", "l.tenant_id").onRef("i.interaction_id", "=", "l.interaction_id"))
          .select(["i.interaction_id", "i.occurred_at", "i.interaction_type", "l.relation"])
          .where("l.tenant_id", "=", tenantId)
          .where("l.entity_type", "=", "deal")
          .where("l.entity_id", "=", opportunityId)
          .orderBy("i.occurred_at")
          .execute(),
      ]);
      return {
        accountId: current.account_id,
        dealRef: current.deal_ref,
        current: current as OpportunityRow,
        versions: versions as VersionRow[],
        signals: [...signals, ...signalVersions] as SignalState[],
        interactions,
      };
    });
  }

  /** An interaction and what was said in it (the inbox's envelope), for the evidence links. */
  async interaction(tenantId: string, interactionId: string) {
    return withTenant(this.db, tenantId, async (trx) => {
      const row = await trx
        .selectFrom("inbox")
        .select(["interaction_id", "account_id", "occurred_at", "envelope"])
        .where("tenant_id", "=", tenantId)
        .where("interaction_id", "=", interactionId)
        .executeTakeFirst();
      if (!row) return null;
      const envelope = row.envelope as { interaction_type?: unknown; content?: { text?: unknown } };
      return {
        interactionId: row.interaction_id,
        accountId: row.account_id,
        occurredAt: row.occurred_at,
        interactionType: typeof envelope.interaction_type === "string" ? envelope.interaction_type : "interaction",
        text: typeof envelope.content?.text === "string" ? envelope.content.text : "",
      };
    });
  }
}
