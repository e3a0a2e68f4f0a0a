import { RISK_SIGNAL_EVENTS } from "@dealgraph/contracts";
import { ConflictError } from "@dealgraph/errors";
import type { GraphClient } from "@dealgraph/graph";
import type { Logger } from "@dealgraph/logging";
import type { PendingDelivery, RiskSignalEvent, WebhookPublisher } from "@dealgraph/webhooks";
import type { Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { uuidv7 } from "uuidv7";
import { evaluateAccount } from "./domain/deal-signals";
import type { RiskThresholds } from "./domain/risk-thresholds";
import { planSignalChanges, type SignalChange, type StoredSignal } from "./domain/signal-changes";
import { RiskGraphRepository } from "./graph/risk-graph-repository";
import { readSignalsForProjection } from "./graph/risk-projection-read";
import { RiskProjectionRepository } from "./projection/risk-projection-repository";

export interface RiskSignalRefresherOptions {
  graphs: { deals: GraphClient; action_items: GraphClient };
  db: Kysely<Database>;
  thresholds: RiskThresholds;
  logger: Logger;
  /** The time rules read; the wall clock unless a test fixes it. */
  clock?: () => Date;
  mintId?: () => string;
  /** Where the changes go as webhook events (`risk_signal.raised|updated|cleared`); none: not published. */
  events?: Pick<WebhookPublisher, "record" | "enqueue" | "requeueStale">;
}

/** What one refresh of an account changed. */
export interface RefreshOutcome {
  tenantId: string;
  accountId: string;
  changes: SignalChange[];
  /** Signals standing after the refresh. */
  active: number;
  /** Rows the projection wrote (changed signals, and any Postgres was missing). */
  projected: number;
}

const ACCOUNTS_PAGE = 500;
/** A pending delivery this old was recorded by a refresh that did not live to queue it. */
const STALE_DELIVERY_MS = 60_000;
const CONFLICT_ATTEMPTS = 3;

/**
 * Evaluates an account's risk signals from both graphs and applies what changed: RiskSignal
 * nodes versioned in the deal graph (one write transaction), then the Postgres projection of
 * the changed signals and of any whose row lags its node (a projection that failed last time).
 * Running it again with nothing new writes nothing. Time-based signals need no new call: the
 * scheduled sweep refreshes every account with deals (`refreshTenant`).
 */
export class RiskSignalRefresher {
  private readonly graph = new RiskGraphRepository();
  private readonly projection: RiskProjectionRepository;
  private readonly clock: () => Date;
  private readonly mintId: () => string;

  constructor(private readonly options: RiskSignalRefresherOptions) {
    this.projection = new RiskProjectionRepository(options.db);
    this.clock = options.clock ?? (() => new Date());
    this.mintId = options.mintId ?? uuidv7;
  }

  async refresh(tenantId: string, accountId: string): Promise<RefreshOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.refreshOnce(tenantId, accountId);
      } catch (error) {
        // Another evaluation of the account won the race; its writes are read on the next try.
        if (!(error instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  /** Every account of the tenant that has deals; answers how many, and how many signals were raised, updated and cleared. */
  async refreshTenant(tenantId: string, signal?: AbortSignal): Promise<{ accounts: number; changes: number }> {
    const outcomes = await this.refreshAccounts(tenantId, signal);
    return { accounts: outcomes.length, changes: outcomes.reduce((n, o) => n + o.changes.length, 0) };
  }

  /** Each account of the tenant that has deals, in id order, a page at a time; stops between accounts when `signal` aborts. */
  async refreshAccounts(tenantId: string, signal?: AbortSignal): Promise<RefreshOutcome[]> {
    // What a crash left recorded but unqueued since the last sweep goes out now.
    await this.options.events?.requeueStale(tenantId, RISK_SIGNAL_EVENTS, STALE_DELIVERY_MS);
    const outcomes: RefreshOutcome[] = [];
    let after = "";
    for (;;) {
      const page = await this.options.graphs.deals.read((tx) => this.graph.accountsWithDeals(tx, tenantId, after, ACCOUNTS_PAGE));
      for (const accountId of page) {
        if (signal?.aborted) return outcomes;
        outcomes.push(await this.refresh(tenantId, accountId));
      }
      if (page.length < ACCOUNTS_PAGE) return outcomes;
      after = page[page.length - 1]!;
    }
  }

  private async refreshOnce(tenantId: string, accountId: string): Promise<RefreshOutcome> {
    const now = this.clock();
    const [dealSide, items, projected] = await Promise.all([
      this.options.graphs.deals.read((tx) => this.graph.readDealSide(tx, tenantId, accountId)),
      this.options.graphs.action_items.read((tx) => this.graph.readItems(tx, tenantId, accountId)),
      this.projection.revisions(tenantId, accountId),
    ]);
    const state = RiskGraphRepository.accountState(tenantId, accountId, dealSide, items);
    const found = evaluateAccount(state, now, this.options.thresholds);
    const changes = planSignalChanges(accountId, dealSide.signals, found, now);
    if (changes.length > 0) await this.options.graphs.deals.write((tx) => this.graph.writeChanges(tx, tenantId, changes, now, this.mintId));
    // Signals whose row lags its node: a projection that failed after its graph write committed.
    const lagging = [...dealSide.revisions].filter(([id, revision]) => projected.get(id)?.revision !== revision).map(([id]) => id);
    const changed = new Set(changes.map((c) => c.next.signalId));
    const ids = [...new Set([...changed, ...lagging])];
    const signals = ids.length === 0 ? [] : await this.options.graphs.deals.read((tx) => readSignalsForProjection(tx, tenantId, ids));
    // A lagging signal's change was never published either (its events go with its rows): published now, from the node.
    const published = [
      ...changes.map((change) => signalEvent(tenantId, change.kind, change.next)),
      ...dealSide.signals
        .filter((s) => lagging.includes(s.signalId) && !changed.has(s.signalId))
        .map((s) => signalEvent(tenantId, catchUpKind(s, projected.get(s.signalId)?.status ?? null), s)),
    ];
    const { events } = this.options;
    const pending: PendingDelivery[] = [];
    const written = await this.projection.project(
      tenantId,
      signals,
      events && published.length > 0
        ? async (trx) => {
            for (const event of published) pending.push(...(await events.record(trx, event)));
          }
        : undefined,
    );
    // Queued once the rows and deliveries have committed; a crash before leaves them pending, and the next sweep queues them.
    if (events && pending.length > 0) await events.enqueue(tenantId, pending);
    const active = found.length;
    if (changes.length > 0) {
      this.options.logger.info(
        {
          tenant_id: tenantId,
          account_id: accountId,
          raised: count(changes, "raised"),
          updated: count(changes, "updated"),
          cleared: count(changes, "cleared"),
          active,
        },
        "risk signals changed",
      );
    }
    return { tenantId, accountId, changes, active, projected: written.risk_signals };
  }
}

/** What a signal's state says happened, given the status its Postgres row still shows (null: no row). */
function catchUpKind(state: StoredSignal, rowStatus: "active" | "cleared" | null): SignalChange["kind"] {
  if (state.status === "cleared") return "cleared";
  return rowStatus === "active" ? "updated" : "raised";
}

function signalEvent(tenantId: string, kind: SignalChange["kind"], s: StoredSignal): RiskSignalEvent {
  return {
    type: `risk_signal.${kind}`,
    tenantId,
    data: {
      account_id: s.accountId,
      opportunity_id: s.opportunityId,
      signal: {
        id: s.signalId,
        code: s.code,
        severity: s.severity,
        status: s.status,
        started_at: s.startedAt,
        cleared_at: s.clearedAt,
        detail: s.detail,
        evidence: { interaction_id: s.evidenceInteractionId, quote: s.evidenceQuote },
        version: s.versionNumber,
      },
    },
  };
}

const count = (changes: readonly SignalChange[], kind: SignalChange["kind"]) => changes.filter((c) => c.kind === kind).length;
