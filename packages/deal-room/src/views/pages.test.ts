import { html } from "./html";
import { interactionPage } from "./interaction-page";
import { stepChart } from "./chart";
import { signalTable } from "./signal-table";

describe("pages", () => {
  it("escape what a transcript says: markup in it is text on the page", () => {
    const page = interactionPage("t", {
      interactionId: "i",
      accountId: 'acct"><script>alert(1)</script>',
      occurredAt: new Date("2026-03-02T15:00:00Z"),
      interactionType: "transcript",
      text: "Dana: <img src=x onerror=alert(1)> & more",
    }).markup;
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; more");
    expect(page).toContain("/accounts/acct%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  });

  it("keep markup this package built, and escape every value put into it", () => {
    expect(html`<b>${"<i>"}</b>${html`<i>ok</i>`}${[1, "<"]}${null}`.markup).toBe("<b>&lt;i&gt;</b><i>ok</i>1&lt;");
  });

  it("draw a step chart with one line per series", () => {
    const chart = stepChart(
      "Completeness",
      [
        {
          name: "MEDDIC",
          colour: "#000",
          points: [
            { at: "2026-03-02T00:00:00Z", value: 0.2 },
            { at: "2026-03-16T00:00:00Z", value: 0.6 },
          ],
        },
      ],
      {
        end: "2026-04-01T00:00:00Z",
        max: 1,
        format: (v) => `${v * 100}%`,
      },
    ).markup;
    expect(chart.match(/<polyline/g)).toHaveLength(1);
    expect(chart.match(/<circle/g)).toHaveLength(2);
  });

  it("show an account's signal that says the same of several deals once, naming each deal", () => {
    const signal = (opportunity_id: string, code = "overdue_seller_items") => ({
      signal_id: `${opportunity_id}:${code}`,
      opportunity_id,
      code,
      status: "active" as const,
      severity: "high" as const,
      started_at: "2026-04-01T00:00:00Z",
      cleared_at: null,
      evidence_interaction_id: null,
      evidence_quote: null,
      detail: "2 overdue",
      version_number: 1,
    });
    const names = new Map([
      ["a", "Deal A"],
      ["b", "Deal B"],
    ]);
    const table = signalTable([signal("a"), signal("b"), signal("a", "no_champion")], { dealNames: names }).markup;
    expect(table.match(/<tr data-signal=/g)).toHaveLength(2);
    expect(table).toContain('<a href="/deals/a">Deal A</a>, <a href="/deals/b">Deal B</a>');
  });
});
