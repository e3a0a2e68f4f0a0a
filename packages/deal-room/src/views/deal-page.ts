import { ONTOLOGY, ONTOLOGY_DIMENSIONS } from "@dealgraph/extraction";
import { QUALIFICATION_FIELDS, sourceOfField, sourceOfScore, type DealState } from "../deal-timeline";
import type { SignalState } from "../signal-history";
import { stepChart } from "./chart";
import { formatAmount, formatDate, label, percent } from "./format";
import { html, path } from "./html";
import { layout } from "./layout";
import { signalTable } from "./signal-table";

export interface DealPageView {
  tenantId: string;
  opportunityId: string;
  accountId: string | null;
  dealRef: string | null;
  timeline: readonly DealState[];
  /** The state shown: the current one, or the one valid at `asOf`; null when the deal did not exist yet then. */
  shown: DealState | null;
  asOf: string | null;
  signals: readonly SignalState[];
  interactions: ReadonlyArray<{ interaction_id: string; occurred_at: Date; interaction_type: string; relation: string }>;
  now: string;
}

const interactionLink = (id: string | null, text = "the interaction") => (id ? html`<a href="${path("interactions", id)}">${text}</a>` : null);

function qualification(view: DealPageView, state: DealState) {
  return html`<h2>MEDDIC</h2>
    <table data-testid="meddic">
      <thead>
        <tr>
          <th>Field</th>
          <th>What was said</th>
          <th>Evidence</th>
        </tr>
      </thead>
      <tbody>
        ${QUALIFICATION_FIELDS.map((field) => {
          const value = state.meddic[field];
          return html`<tr data-field="${field}">
            <td>${label(field)}</td>
            <td>${value ? value.text : html`<span class="muted">not yet known</span>`}</td>
            <td>
              ${value?.quote ? html`<div class="quote">“${value.quote}”</div>` : null}
              ${value ? interactionLink(sourceOfField(view.timeline, state, field)) : null}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <h2>Ontology</h2>
    <table data-testid="ontology">
      <thead>
        <tr>
          <th>Dimension</th>
          <th>Score (0–3)</th>
          <th>Evidence</th>
        </tr>
      </thead>
      <tbody>
        ${ONTOLOGY_DIMENSIONS.map((dim) => {
          const scored = state.ontology[dim];
          return html`<tr data-dimension="${dim}">
            <td><span title="${ONTOLOGY[dim].meaning}">${label(dim)}</span> <span class="muted">${ONTOLOGY[dim].group}</span></td>
            <td>${scored.score ?? html`<span class="muted">—</span>`}</td>
            <td>
              ${scored.evidence ? html`<div class="quote">“${scored.evidence}”</div>` : null}
              ${scored.score === null ? null : interactionLink(sourceOfScore(view.timeline, state, dim))}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}

function timelineTable(view: DealPageView) {
  return html`<h2>Timeline</h2>
    <table data-testid="timeline">
      <thead>
        <tr>
          <th>Version</th>
          <th>From</th>
          <th>Stage</th>
          <th>Amount</th>
          <th>Close</th>
          <th>MEDDIC</th>
          <th>Ontology</th>
          <th>What changed</th>
        </tr>
      </thead>
      <tbody>
        ${view.timeline.map(
          (s) =>
            html`<tr data-version="${s.versionNumber}">
              <td><a href="?as_of=${s.validFrom.slice(0, 10)}">v${s.versionNumber}</a></td>
              <td>${formatDate(s.validFrom)}</td>
              <td>${label(s.stage ?? "—")}</td>
              <td>${formatAmount(s.amount, s.currency)}</td>
              <td>${s.closeTimeframe ?? "—"}</td>
              <td>${percent(s.meddicCompleteness)}</td>
              <td>${percent(s.ontologyCompleteness)}</td>
              <td>
                ${s.versionNumber === view.timeline[0]?.versionNumber ? "Created" : s.changeSummary || s.changedFields.join(", ") || "Mentioned again"}
                ${interactionLink(s.sourceInteractionId, "(interaction)")}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export function dealPage(view: DealPageView) {
  const state = view.shown;
  const latest = view.timeline[view.timeline.length - 1]!;
  // The last state holds until now; drawn to now, months of calm would squeeze the history into a corner.
  const first = Date.parse(view.timeline[0]!.validFrom);
  const last = Date.parse(latest.validFrom);
  const chartEnd = new Date(Math.min(Date.parse(view.now), last + Math.max(14 * 86_400_000, (last - first) * 0.25))).toISOString();
  const completeness = stepChart(
    "Completeness over time",
    [
      { name: "MEDDIC", colour: "#2f6fce", points: view.timeline.map((s) => ({ at: s.validFrom, value: s.meddicCompleteness })) },
      { name: "Ontology", colour: "#c8631b", points: view.timeline.map((s) => ({ at: s.validFrom, value: s.ontologyCompleteness })) },
    ],
    { end: chartEnd, max: 1, format: (v) => `${Math.round(v * 100)}%` },
  );
  const amounts = stepChart(
    "Amount over time",
    [{ name: latest.currency ?? "amount", colour: "#2c8a4b", points: view.timeline.map((s) => ({ at: s.validFrom, value: s.amount })) }],
    {
      end: chartEnd,
      format: (v) => new Intl.NumberFormat("en-US", { notation: "compact" }).format(v),
    },
  );
  return layout(
    latest.name,
    view.tenantId,
    html`<p><a href="${path("accounts", view.accountId ?? "")}">${view.accountId}</a></p>
      <h1>${latest.name} <span class="muted">${view.dealRef}</span></h1>
      <form method="get" class="asof">
        <label>As of <input type="date" name="as_of" value="${view.asOf ?? ""}" /></label>
        <button type="submit">Show</button>
        ${view.asOf ? html`<a href="${path("deals", view.opportunityId)}">now</a>` : null}
        <span data-testid="as-of-state">
          ${
            view.asOf
              ? state
                ? html`Showing version ${state.versionNumber}, valid from
                  ${formatDate(state.validFrom)}${state.validUntil ? html` until ${formatDate(state.validUntil)}` : null}`
                : html`The deal had not been discussed by ${formatDate(view.asOf)}.`
              : html`Showing the current version (${latest.versionNumber}).`
          }
        </span>
      </form>
      ${
        state
          ? html`<div class="cards">
                <div class="card">Stage<b data-testid="stage">${label(state.stage ?? "—")}</b></div>
                <div class="card">Amount<b data-testid="amount">${formatAmount(state.amount, state.currency)}</b></div>
                <div class="card">Close<b>${state.closeTimeframe ?? "—"}</b></div>
                <div class="card">MEDDIC<b>${percent(state.meddicCompleteness)}</b></div>
                <div class="card">Ontology<b>${percent(state.ontologyCompleteness)}</b></div>
              </div>
              ${state.summary ? html`<p>${state.summary}</p>` : null}
              <h2>Risk signals${view.asOf ? html` as of ${formatDate(view.asOf)}` : null}</h2>
              ${signalTable(view.signals)} ${completeness} ${amounts} ${qualification(view, state)}`
          : null
      }
      ${timelineTable(view)}
      <h2>Interactions</h2>
      <ul>
        ${view.interactions.map((i) => html`<li>${formatDate(i.occurred_at)} · ${i.interaction_type} · ${i.relation} the deal · ${interactionLink(i.interaction_id, "open")}</li>`)}
      </ul>`,
  );
}
