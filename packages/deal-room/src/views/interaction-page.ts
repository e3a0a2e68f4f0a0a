import { formatDate, label } from "./format";
import { html, path } from "./html";
import { layout } from "./layout";

export function interactionPage(
  tenantId: string,
  interaction: { interactionId: string; accountId: string | null; occurredAt: Date; interactionType: string; text: string },
) {
  return layout(
    `${label(interaction.interactionType)} of ${formatDate(interaction.occurredAt)}`,
    tenantId,
    html`${interaction.accountId ? html`<p><a href="${path("accounts", interaction.accountId)}">${interaction.accountId}</a></p>` : null}
      <h1>${label(interaction.interactionType)} · ${formatDate(interaction.occurredAt)}</h1>
      <pre data-testid="transcript">${interaction.text}</pre>`,
  );
}

export function notFoundPage(tenantId: string | null, what: string) {
  return layout(
    "Not found",
    tenantId,
    html`<h1>Not found</h1>
      <p>${what}</p>
      <p><a href="/">All accounts</a></p>`,
  );
}
