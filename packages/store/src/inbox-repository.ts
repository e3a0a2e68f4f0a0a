import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { Database, InboxTable, PipelineStatus } from "./schema";
import { assertTenantId, withTenant } from "./tenant-transaction";

/** One pipeline's progress with an envelope: queued, done, dead or skipped, and what it recorded. */
export interface InboxRun {
  status: PipelineStatus;
  /** The run's summary once done, the dead letter's error once dead, why once skipped. */
  result: Record<string, unknown> | null;
}

type RunsByPipeline = Record<string, InboxRun>;

/** An inbox row with each pipeline's run, by pipeline name. */
export type InboxRow = Selectable<InboxTable> & { runs: RunsByPipeline };

const RECEIPT_COLUMNS = ["tenant_id", "interaction_id", "account_id"] as const;
/** What accepting an envelope answers with: the row's ids and each pipeline's status, not the envelope or the results. */
export type InboxReceipt = Pick<InboxRow, (typeof RECEIPT_COLUMNS)[number]> & { runs: Record<string, PipelineStatus> };
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

/** A run's status in a row; a pipeline registered after the envelope was accepted has none to do. */
export function inboxStatus(row: Pick<InboxRow, "runs">, pipeline: string): PipelineStatus {
  return row.runs[pipeline]?.status ?? "skipped";
}

export interface InboxEntry {
  tenantId: string;
  interactionId: string;
  accountId: string | null;
  occurredAt: string;
  envelope: Record<string, unknown>;
  /** envelopeContentHash of `envelope`. */
  contentHash: string;
  /** Every pipeline the envelope goes to, with why it has nothing to do there (null: it is queued). */
  runs: ReadonlyArray<{ pipeline: string; skippedBecause: string | null }>;
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
          })),
        )
        .onConflict((oc) => oc.columns(["tenant_id", "interaction_id"]).doNothing())
        .returning(RECEIPT_COLUMNS)
        .execute();
      // The runs of the envelopes this call stored (the first entry under an id is the one stored).
      const insertedIds = new Set(inserted.map((row) => row.interaction_id));
      const firstOf = new Map<string, InboxEntry>();
      for (const entry of entries) if (insertedIds.has(entry.interactionId) && !firstOf.has(entry.interactionId)) firstOf.set(entry.interactionId, entry);
      const runs = [...firstOf.values()].flatMap((entry) =>
        entry.runs.map((run) => ({
          tenant_id: tenantId,
          interaction_id: entry.interactionId,
          pipeline: run.pipeline,
          status: run.skippedBecause === null ? ("queued" as const) : ("skipped" as const),
          result: run.skippedBecause === null ? null : JSON.stringify({ reason: run.skippedBecause }),
        })),
      );
      if (runs.length > 0) await trx.insertInto("inbox_pipeline_runs").values(runs).execute();
      const statuses = (list: readonly { pipeline: string; status: PipelineStatus }[]) => Object.fromEntries(list.map((run) => [run.pipeline, run.status]));
      const created = new Map(
        inserted.map((row) => [row.interaction_id, { ...row, runs: statuses(runs.filter((run) => run.interaction_id === row.interaction_id)) }]),
      );
      const missing = entries.map((e) => e.interactionId).filter((id) => !created.has(id));
      const existing = new Map<string, InboxReceipt & { content_hash: string | null }>();
      if (missing.length > 0) {
        const rows = await trx
          .selectFrom("inbox")
          .select([...RECEIPT_COLUMNS, "content_hash"])
          .where("tenant_id", "=", tenantId)
          .where("interaction_id", "in", missing)
          .execute();
        const stored = await runsOf(trx, tenantId, missing);
        for (const row of rows) existing.set(row.interaction_id, { ...row, runs: statuses(stored.filter((run) => run.interaction_id === row.interaction_id)) });
      }
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
      const storedEnvelopes =
        differing.length === 0
          ? new Map<string, Record<string, unknown>>()
          : new Map(
              (
                await trx
                  .selectFrom("inbox")
                  .select(["interaction_id", "envelope"])
                  .where("tenant_id", "=", tenantId)
                  .where("interaction_id", "in", differing)
                  .execute()
              ).map((row) => [row.interaction_id, row.envelope]),
            );
      return repeats.map(({ entry, created: isNew, row, storedHash }): InboxAcceptance => {
        const receipt: InboxReceipt = { tenant_id: row.tenant_id, interaction_id: row.interaction_id, account_id: row.account_id, runs: row.runs };
        if (isNew || storedHash === entry.contentHash) return { created: isNew, row: receipt };
        const stored = storedEnvelopes.get(entry.interactionId);
        if (!stored) throw new Error(`inbox entry ${entry.interactionId} has no stored envelope`);
        return { created: false, row: receipt, stored };
      });
    });
  }

  async get(tenantId: string, interactionId: string): Promise<InboxRow | undefined> {
    return withTenant(this.db, tenantId, (trx) => readRow(trx, tenantId, interactionId));
  }

  /**
   * Records a pipeline's status for an envelope (a run row of its own, made if the pipeline has
   * none yet), in one tenant transaction with whatever `alongside` writes first (the webhook
   * deliveries the outcome publishes): both commit or neither does. Answers what `alongside` did.
   */
  async setStatus<Alongside = undefined>(
    tenantId: string,
    interactionId: string,
    pipeline: string,
    status: PipelineStatus,
    result: Record<string, unknown> | null = null,
    alongside?: (trx: Transaction<Database>) => Promise<Alongside>,
  ): Promise<Alongside | undefined> {
    return withTenant(this.db, tenantId, async (trx) => {
      const done = await alongside?.(trx);
      await this.setStatusIn(trx, tenantId, interactionId, pipeline, status, result);
      return done;
    });
  }

  /** setStatus as a statement of the caller's transaction, which must be scoped to the tenant (withTenant). */
  async setStatusIn(
    trx: Transaction<Database>,
    tenantId: string,
    interactionId: string,
    pipeline: string,
    status: PipelineStatus,
    result: Record<string, unknown> | null,
  ): Promise<void> {
    const encoded = result === null ? null : JSON.stringify(result);
    await trx
      .insertInto("inbox_pipeline_runs")
      .values({ tenant_id: tenantId, interaction_id: interactionId, pipeline, status, result: encoded })
      .onConflict((oc) => oc.columns(["tenant_id", "interaction_id", "pipeline"]).doUpdateSet({ status, result: encoded, updated_at: sql`now()` }))
      .execute();
  }

  /**
   * An entry as a worker about to process it needs it, in one round trip (a job that is not yet
   * its account's turn asks again, so this is the worker's most frequent query; migration 0009's
   * `dealgraph_inbox_for_work` scopes it to the tenant): the row, its runs, and how many earlier
   * envelopes of the same account (by `occurred_at`, then arrival) are still queued for the
   * pipeline, counted up to `EARLIER_COUNT_LIMIT`: the worker waits its turn while any are.
   */
  async getForWork(tenantId: string, interactionId: string, pipeline: string): Promise<{ row: InboxRow; earlierQueued: number } | undefined> {
    assertTenantId(tenantId);
    const { rows } = await sql<Selectable<InboxTable> & { runs: RunsByPipeline; earlier_queued: string }>`
      select * from dealgraph_inbox_for_work(${tenantId}, ${interactionId}, ${pipeline}, ${EARLIER_COUNT_LIMIT})`.execute(this.db);
    const found = rows[0];
    if (!found) return undefined;
    const { runs, earlier_queued: earlierQueued, ...row } = found;
    return { row: { ...row, runs }, earlierQueued: Number(earlierQueued) };
  }

  /** Runs of every tenant still queued and older than `minAgeMs`, oldest first (for the sweeper). */
  async unfinished(minAgeMs: number, limit: number): Promise<Array<{ tenant_id: string; interaction_id: string; pipeline: string }>> {
    const { rows } = await sql<{ tenant_id: string; interaction_id: string; pipeline: string }>`
      select * from dealgraph_inbox_unfinished(${`${minAgeMs} milliseconds`}::interval, ${limit})`.execute(this.db);
    return rows;
  }
}

async function readRow(trx: Transaction<Database>, tenantId: string, interactionId: string): Promise<InboxRow | undefined> {
  const row = await trx.selectFrom("inbox").selectAll().where("tenant_id", "=", tenantId).where("interaction_id", "=", interactionId).executeTakeFirst();
  if (!row) return undefined;
  const runs = await runsOf(trx, tenantId, [interactionId]);
  return { ...row, runs: Object.fromEntries(runs.map((run) => [run.pipeline, { status: run.status, result: run.result }])) };
}

/** The pipeline runs of these envelopes, in one read. */
function runsOf(trx: Transaction<Database>, tenantId: string, interactionIds: readonly string[]) {
  return trx
    .selectFrom("inbox_pipeline_runs")
    .select(["interaction_id", "pipeline", "status", "result"])
    .where("tenant_id", "=", tenantId)
    .where("interaction_id", "in", [...interactionIds])
    .execute();
}
