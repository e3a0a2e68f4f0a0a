import { sql, type Kysely, type Selectable } from "kysely";
import type { Database, InboxTable, PipelineStatus } from "./schema";
import { withTenant } from "./tenant-transaction";

export type InboxPipeline = "action_items" | "deals";
export type InboxRow = Selectable<InboxTable>;

const RECEIPT_COLUMNS = ["tenant_id", "interaction_id", "account_id", "action_items_status", "deals_status"] as const;
/** What accepting an envelope answers with: the row without the envelope and the results, which the caller already has or does not need. */
export type InboxReceipt = Pick<InboxRow, (typeof RECEIPT_COLUMNS)[number]>;
/**
 * One accepted envelope: its receipt, and whether this call stored it (false for a repeat).
 * A repeat whose content differs from what is stored (or was stored before content hashes)
 * carries the stored envelope, and nothing of it was changed.
 */
export interface InboxAcceptance {
  created: boolean;
  row: InboxReceipt;
  stored?: Record<string, unknown>;
}

/** Each pipeline's status and result columns; names come from here, never from data. */
const COLUMNS = {
  action_items: { status: "action_items_status", result: "action_items_result" },
  deals: { status: "deals_status", result: "deals_result" },
} as const;

/** A pipeline's status in an inbox row (or in the sweeper's slice of one). */
export function inboxStatus(row: Pick<InboxRow, "action_items_status" | "deals_status">, pipeline: InboxPipeline): PipelineStatus {
  return row[COLUMNS[pipeline].status];
}

/** A pipeline's recorded result (its summary, or the dead letter's error) in an inbox row. */
export function inboxResult(row: InboxRow, pipeline: InboxPipeline): InboxRow["deals_result"] {
  return row[COLUMNS[pipeline].result];
}

export interface InboxEntry {
  tenantId: string;
  interactionId: string;
  accountId: string | null;
  occurredAt: string;
  envelope: Record<string, unknown>;
  /** envelopeContentHash of `envelope`. */
  contentHash: string;
  /** Pipelines with nothing to do for this envelope (the deal pipeline without an account). */
  skip: readonly InboxPipeline[];
}

/** Earlier queued envelopes counted at most (getForWork): enough to size a wait, cheap to count. */
const EARLIER_COUNT_LIMIT = 20;

/**
 * The inbox (DESIGN §2): every accepted envelope is stored here before it is enqueued; the
 * workers read the envelope from here, record each pipeline's outcome here, and order an
 * account's envelopes by it. Every method but `unfinished` runs inside the tenant's row-level
 * security scope.
 */
export class InboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the envelope once; a repeat returns the stored row's receipt and `created: false`. */
  async accept(entry: InboxEntry): Promise<InboxAcceptance> {
    const [result] = await this.acceptMany(entry.tenantId, [entry]);
    return result as InboxAcceptance;
  }

  /**
   * Stores several envelopes of one tenant in one statement (the api batches concurrent posts
   * this way); the answer is in the order given. An envelope already stored, or given twice,
   * comes back as its stored row with `created: false`. Only receipts come back: returning the
   * envelopes would send every transcript back from the database to be parsed for nothing.
   */
  async acceptMany(tenantId: string, entries: readonly InboxEntry[]): Promise<InboxAcceptance[]> {
    if (entries.length === 0) return [];
    if (entries.some((entry) => entry.tenantId !== tenantId)) throw new Error("acceptMany takes the envelopes of one tenant");
    return withTenant(this.db, tenantId, async (trx) => {
      const inserted = await trx
        .insertInto("inbox")
        .values(
          entries.map((entry) => ({
            tenant_id: entry.tenantId,
            interaction_id: entry.interactionId,
            account_id: entry.accountId,
            occurred_at: entry.occurredAt,
            envelope: JSON.stringify(entry.envelope),
            content_hash: entry.contentHash,
            action_items_status: entry.skip.includes("action_items") ? ("skipped" as const) : ("queued" as const),
            deals_status: entry.skip.includes("deals") ? ("skipped" as const) : ("queued" as const),
          })),
        )
        .onConflict((oc) => oc.columns(["tenant_id", "interaction_id"]).doNothing())
        .returning(RECEIPT_COLUMNS)
        .execute();
      const created = new Map(inserted.map((row) => [row.interaction_id, row]));
      const missing = entries.map((e) => e.interactionId).filter((id) => !created.has(id));
      const existing = missing.length === 0
        ? new Map<string, InboxReceipt & { content_hash: string | null }>()
        : new Map(
            (await trx.selectFrom("inbox").select([...RECEIPT_COLUMNS, "content_hash"]).where("tenant_id", "=", tenantId).where("interaction_id", "in", missing).execute()).map(
              (row) => [row.interaction_id, row],
            ),
          );
      // Within one call, the first envelope under an id is the one stored.
      const hashOf = new Map<string, string>();
      for (const entry of entries) if (!hashOf.has(entry.interactionId)) hashOf.set(entry.interactionId, entry.contentHash);
      const seen = new Set<string>();
      const repeats = entries.map((entry) => {
        const fresh = created.get(entry.interactionId);
        // The first of a repeated id within one call is the one that created the row.
        if (fresh && !seen.has(entry.interactionId)) {
          seen.add(entry.interactionId);
          return { entry, created: true, row: fresh, storedHash: entry.contentHash };
        }
        if (fresh) return { entry, created: false, row: fresh, storedHash: hashOf.get(entry.interactionId) ?? null };
        const row = existing.get(entry.interactionId);
        if (!row) throw new Error(`inbox entry ${entry.interactionId} neither inserted nor found`);
        return { entry, created: false, row, storedHash: row.content_hash };
      });
      // Only a repeat that may differ reads its stored envelope back: the caller names what differs.
      const differing = [...new Set(repeats.filter((r) => !r.created && r.storedHash !== r.entry.contentHash).map((r) => r.entry.interactionId))];
      const storedEnvelopes = differing.length === 0
        ? new Map<string, Record<string, unknown>>()
        : new Map(
            (await trx.selectFrom("inbox").select(["interaction_id", "envelope"]).where("tenant_id", "=", tenantId).where("interaction_id", "in", differing).execute()).map((row) => [
              row.interaction_id,
              row.envelope,
            ]),
          );
      return repeats.map(({ entry, created: isNew, row, storedHash }): InboxAcceptance => {
        const receipt = Object.fromEntries(RECEIPT_COLUMNS.map((column) => [column, row[column]])) as InboxReceipt;
        if (isNew || storedHash === entry.contentHash) return { created: isNew, row: receipt };
        const stored = storedEnvelopes.get(entry.interactionId);
        if (!stored) throw new Error(`inbox entry ${entry.interactionId} has no stored envelope`);
        return { created: false, row: receipt, stored };
      });
    });
  }

  async get(tenantId: string, interactionId: string): Promise<InboxRow | undefined> {
    return withTenant(this.db, tenantId, (trx) =>
      trx.selectFrom("inbox").selectAll().where("tenant_id", "=", tenantId).where("interaction_id", "=", interactionId).executeTakeFirst(),
    );
  }

  async setStatus(
    tenantId: string,
    interactionId: string,
    pipeline: InboxPipeline,
    status: PipelineStatus,
    result: Record<string, unknown> | null = null,
  ): Promise<void> {
    const columns = COLUMNS[pipeline];
    await withTenant(this.db, tenantId, (trx) =>
      trx
        .updateTable("inbox")
        .set({ [columns.status]: status, [columns.result]: result === null ? null : JSON.stringify(result), updated_at: sql`now()` })
        .where("tenant_id", "=", tenantId)
        .where("interaction_id", "=", interactionId)
        .execute(),
    );
  }

  /**
   * An entry as a worker about to process it needs it, in one transaction: the row, and how many
   * earlier envelopes of the same account (by `occurred_at`, then arrival) are still queued for
   * the pipeline, counted up to `EARLIER_COUNT_LIMIT`: the worker waits its turn while any are.
   */
  async getForWork(tenantId: string, interactionId: string, pipeline: InboxPipeline): Promise<{ row: InboxRow; earlierQueued: number } | undefined> {
    const status = COLUMNS[pipeline].status;
    return withTenant(this.db, tenantId, async (trx) => {
      const row = await trx.selectFrom("inbox").selectAll().where("tenant_id", "=", tenantId).where("interaction_id", "=", interactionId).executeTakeFirst();
      if (!row) return undefined;
      if (row.account_id === null) return { row, earlierQueued: 0 };
      const earlier = await trx
        .selectFrom("inbox")
        .select("interaction_id")
        .where("tenant_id", "=", tenantId)
        .where("account_id", "=", row.account_id)
        .where(status, "=", "queued")
        .where((eb) => eb.or([eb("occurred_at", "<", row.occurred_at), eb.and([eb("occurred_at", "=", row.occurred_at), eb("seq", "<", row.seq)])]))
        .limit(EARLIER_COUNT_LIMIT)
        .execute();
      return { row, earlierQueued: earlier.length };
    });
  }

  /** Entries of every tenant still queued for some pipeline and older than `minAgeMs` (for the sweeper). */
  async unfinished(minAgeMs: number, limit: number): Promise<Array<{ tenant_id: string; interaction_id: string; action_items_status: PipelineStatus; deals_status: PipelineStatus }>> {
    const { rows } = await sql<{ tenant_id: string; interaction_id: string; action_items_status: PipelineStatus; deals_status: PipelineStatus }>`
      select * from dealgraph_inbox_unfinished(${`${minAgeMs} milliseconds`}::interval, ${limit})`.execute(this.db);
    return rows;
  }
}
