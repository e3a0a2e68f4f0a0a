import type { AccountSummary, DealSummary, ItemRow } from "../deal-room-repository";
import type { SignalState } from "../signal-history";
import { formatAmount, formatDate, label, percent } from "./format";
import { html, path } from "./html";
import { layout } from "./layout";
import { signalTable } from "./signal-table";

export function accountsPage(tenantId: string, accounts: readonly AccountSummary[]) {
  return layout(
    "Accounts",
    tenantId,
    html`<h1>Accounts</h1>
      ${
        accounts.length === 0
          ? html`<p class="muted">Nothing has been processed for this tenant yet.</p>`
          : html`<table data-testid="accounts">
              <thead>
                <tr>
                  <th>Account</th>
                  <th>Open deals</th>
                  <th>Open items</th>
                  <th>Risk signals</th>
                  <th>Last interaction</th>
                </tr>
              </thead>
              <tbody>
                ${accounts.map(
                  (a) =>
                    html`<tr>
                      <td><a href="${path("accounts", a.accountId)}">${a.accountId}</a></td>
                      <td>${a.openDeals} <span class="muted">of ${a.deals}</span></td>
                      <td>${a.openItems}</td>
                      <td>${a.activeSignals}</td>
                      <td>${formatDate(a.lastInteractionAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  );
}

const meta = (deal: DealSummary) =>
  (deal.metadata ?? {}) as { ai_stage?: string; ai_amount?: number | null; ai_currency?: string | null; close_timeframe?: string | null };

export interface AccountPageView {
  deals: readonly DealSummary[];
  items: readonly ItemRow[];
  /** Done or cancelled items per owner (null: no owner); listed in `items` only when `allItems`. */
  closedItems: ReadonlyMap<string | null, number>;
  allItems: boolean;
  signals: readonly SignalState[];
}

const NO_OWNER = "No owner";

export function accountPage(tenantId: string, accountId: string, view: AccountPageView) {
  const names = new Map(view.deals.map((d) => [d.opportunityId, d.name]));
  const signalsOf = (id: string) => view.signals.filter((s) => s.opportunity_id === id).length;
  const owners = new Map<string, ItemRow[]>();
  for (const item of view.items) owners.set(item.owner ?? NO_OWNER, [...(owners.get(item.owner ?? NO_OWNER) ?? []), item]);
  // An owner whose items are all done still has a heading, so that the count of them shows.
  if (!view.allItems) for (const owner of view.closedItems.keys()) if (!owners.has(owner ?? NO_OWNER)) owners.set(owner ?? NO_OWNER, []);
  const closedOf = (owner: string) => view.closedItems.get(owner === NO_OWNER ? null : owner) ?? 0;
  const closedTotal = [...view.closedItems.values()].reduce((a, b) => a + b, 0);
  return layout(
    accountId,
    tenantId,
    html`<h1>${accountId}</h1>
      <h2>Deals</h2>
      <table data-testid="deals">
        <thead>
          <tr>
            <th>Deal</th>
            <th>Stage</th>
            <th>Amount</th>
            <th>Close</th>
            <th>MEDDIC</th>
            <th>Ontology</th>
            <th>Risk signals</th>
          </tr>
        </thead>
        <tbody>
          ${view.deals.map(
            (d) =>
              html`<tr>
                <td><a href="${path("deals", d.opportunityId)}">${d.name ?? d.opportunityId}</a> <span class="muted">${d.dealRef}</span></td>
                <td>${label(meta(d).ai_stage ?? "—")}</td>
                <td>${formatAmount(meta(d).ai_amount ?? null, meta(d).ai_currency ?? null)}</td>
                <td>${meta(d).close_timeframe ?? "—"}</td>
                <td>${percent(d.meddicCompleteness)}</td>
                <td>${percent(d.ontologyCompleteness)}</td>
                <td>${signalsOf(d.opportunityId)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2>Risk signals</h2>
      ${signalTable(view.signals, { dealNames: names })}
      <h2>Action items by owner</h2>
      <p class="muted">
        ${
          view.allItems
            ? html`Every item. <a href="${path("accounts", accountId)}">Only those still to do</a>`
            : html`Items still to do; ${closedTotal} done or cancelled.
              ${closedTotal > 0 ? html`<a href="${path("accounts", accountId)}?items=all" data-testid="all-items">Show every item</a>` : null}`
        }
      </p>
      ${[...owners].map(
        ([owner, items]) =>
          html`<h3>${owner} ${!view.allItems && closedOf(owner) > 0 ? html`<span class="muted">(and ${closedOf(owner)} done or cancelled)</span>` : null}</h3>
            <table data-testid="items" data-owner="${owner}">
              <thead>
                <tr>
                  <th>Item</th>
                  <th>Status</th>
                  <th>Due</th>
                  <th>Topic</th>
                </tr>
              </thead>
              <tbody>
                ${items.map(
                  (i) =>
                    html`<tr data-status="${i.status}">
                      <td>
                        ${i.text} ${i.evidenceQuote ? html`<div class="quote">“${i.evidenceQuote}”</div>` : null}
                        ${i.sourceInteractionId ? html`<a href="${path("interactions", i.sourceInteractionId)}">the interaction</a>` : null}
                      </td>
                      <td>${label(i.status)}</td>
                      <td>${i.dueDate ? formatDate(i.dueDate) : (i.dueHint ?? "—")}</td>
                      <td>${i.topic ?? "—"}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
      )}`,
  );
}
