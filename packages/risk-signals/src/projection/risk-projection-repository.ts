import { upsertRows, withTenant, type Database } from "@dealgraph/store";
import type { Kysely, Transaction } from "kysely";
import type { ProjectedSignal } from "../graph/risk-projection-read";
import { riskSignalRow, riskSignalVersionRow } from "./risk-rows";

/** Writes risk signals and their versions into Postgres, one tenant transaction per call. */
export class RiskProjectionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Upserts the signals and every version they have; answers the rows written by table.
   * `alongside` runs in the same transaction (the refresher records the changes' webhook
   * deliveries there, so they exist exactly when the rows do).
   */
  async project(
    tenantId: string,
    signals: readonly ProjectedSignal[],
    alongside?: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<{ risk_signals: number; risk_signal_versions: number }> {
    if (signals.length === 0 && alongside === undefined) return { risk_signals: 0, risk_signal_versions: 0 };
    return withTenant(this.db, tenantId, async (trx) => {
      const written = await this.upsert(trx, signals);
      await alongside?.(trx);
      return written;
    });
  }

  private async upsert(trx: Transaction<Database>, signals: readonly ProjectedSignal[]) {
    return {
      risk_signals: await upsertRows(
        trx,
        "risk_signals",
        signals.map((s) => riskSignalRow(s.properties)),
        { key: ["tenant_id", "signal_id"], newerOnly: "version_number" },
      ),
      risk_signal_versions: await upsertRows(
        trx,
        "risk_signal_versions",
        signals.flatMap((s) => s.versions.map(riskSignalVersionRow)),
        { key: ["tenant_id", "version_id"] },
      ),
    };
  }

  /** The graph revision each of the account's projected signals was written from, and the status the row holds. */
  async revisions(tenantId: string, accountId: string): Promise<Map<string, { revision: string | null; status: "active" | "cleared" }>> {
    const rows = await withTenant(this.db, tenantId, (trx) =>
      trx
        .selectFrom("risk_signals")
        .select(["signal_id", "graph_revision", "status"])
        .where("tenant_id", "=", tenantId)
        .where("account_id", "=", accountId)
        .execute(),
    );
    return new Map(rows.map((r) => [r.signal_id, { revision: r.graph_revision, status: r.status }]));
  }
}
