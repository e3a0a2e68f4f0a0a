import { affectedRows, versionKind, versionOrphanCheck, type OrphanCheck, type ProjectionKind } from "@dealgraph/pipeline-kit";
import type { Database } from "@dealgraph/store";
import type { Transaction } from "kysely";
import { readSignalsForProjection } from "../graph/risk-projection-read";
import { RiskProjectionRepository } from "./risk-projection-repository";
import { riskSignalRow, riskSignalVersionRow } from "./risk-rows";

const compared = {
  opportunity_id: "text",
  code: "text",
  status: "text",
  severity: "text",
  started_at: "text",
  cleared_at: "text",
  evidence_quote: "text",
  version_number: "int",
} as const;

/** Risk signals as the reconciler and backfill see them: RiskSignal nodes of the deal graph, then their versions (the deal pipeline's module lists them). */
export const RISK_SIGNAL_PROJECTION_KINDS: readonly ProjectionKind[] = [
  {
    kind: "risk_signals",
    graph: "deals",
    label: "RiskSignal",
    idProperty: "signal_id",
    table: "risk_signals",
    idColumn: "signal_id",
    revisionColumn: "graph_revision",
    columns: compared,
    rowOf: (p) => riskSignalRow(p) as Record<string, unknown>,
    backfill: true,
    async reproject({ graph, db }, tenantId, ids) {
      const read = await graph.read((tx) => readSignalsForProjection(tx, tenantId, ids));
      await new RiskProjectionRepository(db).project(tenantId, read);
      return read.length;
    },
    async removeExtras(trx: Transaction<Database>, ids) {
      await trx
        .deleteFrom("risk_signal_versions")
        .where("signal_id", "in", [...ids])
        .execute();
      return affectedRows(
        await trx
          .deleteFrom("risk_signals")
          .where("signal_id", "in", [...ids])
          .executeTakeFirst(),
      );
    },
  },
  versionKind({
    kind: "risk_signal_versions",
    graph: "deals",
    label: "RiskSignalVersion",
    table: "risk_signal_versions",
    columns: { signal_id: "text", version_number: "int", status: "text", severity: "text" },
    rowOf: (p) => riskSignalVersionRow(p) as Record<string, unknown>,
    parent: { kind: "risk_signals", idProperty: "signal_id" },
  }),
];

export const RISK_SIGNAL_ORPHAN_CHECKS: readonly OrphanCheck[] = [versionOrphanCheck("risk_signal_versions_without_parent", "deals", "RiskSignalVersion")];
