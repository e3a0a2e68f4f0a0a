import { RISK_SIGNAL_MEANINGS, type RiskSignalCode } from "@dealgraph/risk-signals";
import type { SignalState } from "../signal-history";
import { formatDate, label } from "./format";
import { html, path } from "./html";

/**
 * An account's signals that say the same thing of several deals (the account's overdue items,
 * its silence) are one row naming each deal, rather than one row per deal.
 */
function grouped(signals: readonly SignalState[]): Array<SignalState & { deals: string[] }> {
  const rows = new Map<string, SignalState & { deals: string[] }>();
  for (const s of signals) {
    const key = JSON.stringify([s.code, s.severity, s.detail, s.evidence_quote, s.evidence_interaction_id, new Date(s.started_at).toISOString()]);
    const row = rows.get(key);
    if (row) row.deals.push(s.opportunity_id);
    else rows.set(key, { ...s, deals: [s.opportunity_id] });
  }
  return [...rows.values()];
}

/** Risk signals with their severity, start, detail and evidence (the quote, linked to its interaction); with `dealNames`, the deals each is about. */
export function signalTable(signals: readonly SignalState[], options: { dealNames?: ReadonlyMap<string, string | null> } = {}) {
  if (signals.length === 0) return html`<p class="muted" data-testid="no-signals">No risk signals.</p>`;
  const names = options.dealNames;
  return html`<table data-testid="signals">
    <thead>
      <tr>
        <th>Signal</th>
        <th>Severity</th>
        ${names ? html`<th>Deals</th>` : null}
        <th>Since</th>
        <th>What shows it</th>
      </tr>
    </thead>
    <tbody>
      ${(names ? grouped(signals) : signals.map((s) => ({ ...s, deals: [s.opportunity_id] }))).map(
        (s) =>
          html`<tr data-signal="${s.code}">
            <td><span title="${RISK_SIGNAL_MEANINGS[s.code as RiskSignalCode] ?? ""}">${label(s.code)}</span></td>
            <td><span class="sev sev-${s.severity}">${s.severity}</span></td>
            ${names ? html`<td>${s.deals.map((id, i) => html`${i > 0 ? ", " : ""}<a href="${path("deals", id)}">${names.get(id) ?? id}</a>`)}</td>` : null}
            <td>${formatDate(s.started_at)}</td>
            <td>
              ${s.detail} ${s.evidence_quote ? html`<div class="quote">“${s.evidence_quote}”</div>` : null}
              ${s.evidence_interaction_id ? html`<a href="${path("interactions", s.evidence_interaction_id)}">the interaction</a>` : null}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
