import type { Insertable } from "kysely";
import type { Database } from "@dealgraph/store";

type Properties = Record<string, unknown>;
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const int = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** The columns a signal and each of its versions share, from node properties. */
function signalColumns(p: Properties) {
  return {
    tenant_id: String(p.tenant_id),
    signal_id: String(p.signal_id),
    opportunity_id: String(p.opportunity_id),
    account_id: String(p.account_id),
    code: String(p.code),
    status: p.status as "active" | "cleared",
    severity: p.severity as "low" | "medium" | "high",
    started_at: String(p.started_at),
    cleared_at: text(p.cleared_at),
    evidence_interaction_id: text(p.evidence_interaction_id),
    evidence_quote: text(p.evidence_quote),
    detail: String(p.detail),
    version_number: Number(p.version_number),
    valid_from: String(p.valid_from),
    graph_revision: int(p.revision),
  };
}

export const riskSignalRow = (p: Properties): Insertable<Database["risk_signals"]> => signalColumns(p);

export const riskSignalVersionRow = (p: Properties): Insertable<Database["risk_signal_versions"]> => ({
  ...signalColumns(p),
  version_id: String(p.version_id),
  valid_until: String(p.valid_until),
});
