import { RISK_SIGNAL_MEANINGS, type RiskSignalCode } from "@dealgraph/risk-signals";
import type { SignalState } from "../signal-history";
import { formatDate, label } from "./format";
import { html, path } from "./html";

/** Risk signals with their severity, start, detail and evidence (the quote, linked to its interaction). */
export function signalTable(signals: readonly SignalState[], options: { dealNames?: ReadonlyMap<string, string | null> } = {}) {
  if (signals.length === 0) return html`<p class="muted" data-testid="no-signals">No risk signals.</p>`;
  return html`<table data-testid="signals">
    <thead>
      <tr>
        <th>Signal</th>
        <th>Severity</th>
        ${options.dealNames ? html`<th>Deal</th>` : null}
        <th>Since</th>
        <th>What shows it</th>
      </tr>
    </thead>
    <tbody>
      ${signals.map(
        (s) =>
          html`<tr data-signal="${s.code}">
            <td><span title="${RISK_SIGNAL_MEANINGS[s.code as RiskSignalCode] ?? ""}">${label(s.code)}</span></td>
            <td><span class="sev sev-${s.severity}">${s.severity}</span></td>
            ${options.dealNames ? html`<td><a href="${path("deals", s.opportunity_id)}">${options.dealNames.get(s.opportunity_id) ?? s.opportunity_id}</a></td>` : null}
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
