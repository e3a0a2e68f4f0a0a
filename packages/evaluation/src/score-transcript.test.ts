import { unscoredOntology, type ExtractedActionItem, type ExtractedDeal } from "@dealgraph/extraction";
import { goldTranscriptSchema } from "./gold-schema";
import { runCheck } from "./score-series";
import { scoreTranscript } from "./score-transcript";
import { summarize } from "./summary";

const gold = goldTranscriptSchema.parse({
  id: "t1",
  file: "t1.txt",
  deals: [
    {
      description: "Leak detection",
      keywords: ["leak", "logger|sensor"],
      amount_range: [
        [96500, 96500],
        [289500, 289500],
      ],
      currency: "GBP",
      stage: ["proposal", "negotiation"],
      economic_buyer: "Clive Rowntree",
      champion: "?",
      evidence: "x",
    },
    {
      description: "Maybe a training add-on",
      keywords: ["training"],
      amount_range: null,
      currency: null,
      stage: null,
      economic_buyer: null,
      champion: null,
      evidence: "y",
      optional: true,
    },
  ],
  action_items: [
    { owner: "Zara Khan", keywords: ["placement", "plan"], status: "open", evidence: "z" },
    { owner: "Oliver Pennington", keywords: ["case study"], status: "done", evidence: "w" },
    { owner: "Dafydd Morgan", keywords: ["night flow"], status: "open", evidence: "v", optional: true },
  ],
  must_not_items: [{ owner: "Oliver Pennington", keywords: ["guarantee"], evidence: "no" }],
  must_not_deals: [{ keywords: ["support plan"], evidence: "no" }],
});

const deal = (name: string, patch: Partial<ExtractedDeal> = {}): ExtractedDeal => ({
  name,
  summary: "",
  stage: "proposal",
  stage_evidence: null,
  amount: 96500,
  currency: "GBP",
  close_timeframe: null,
  meddic: {
    metrics: null,
    economic_buyer: { text: "Clive Rowntree", confidence: 0.8, quote: "q" },
    decision_criteria: null,
    decision_process: null,
    identified_pain: null,
    champion: null,
    paper_process: null,
    competition: null,
  },
  ontology: unscoredOntology(),
  confidence: 0.8,
  reasoning: "",
  ...patch,
});
const item = (text: string, owner: string | null, status: ExtractedActionItem["status"] = "open"): ExtractedActionItem => ({
  text,
  owner_name: owner,
  owner_organization: null,
  due_hint: null,
  status,
  topic: "t",
  confidence: 0.8,
  quote: null,
});

describe("scoreTranscript", () => {
  it("counts hits, misses, inventions and must-nots, leaving optional labels neutral", () => {
    const score = scoreTranscript(gold, {
      deals: [deal("Acoustic leak logger rollout"), deal("Premium support plan"), deal("Training days", { amount: null })],
      actionItems: [
        item("Draft the logger placement plan", "Zara"),
        item("Draft the placement plan again", "Zara"),
        item("Send the night flow data", "Dafydd Morgan"),
        item("Guarantee zero leaks", "Oliver Pennington"),
      ],
    });
    expect(score.deals.hits).toHaveLength(1);
    expect(score.deals.hits[0]).toMatchObject({ amount: true, currency: true, stage: true, economicBuyer: true, champion: null });
    expect(score.deals.inventions.map((d) => d.name)).toEqual(["Premium support plan"]);
    expect(score.deals.mustNot).toEqual(["Premium support plan"]);
    expect(score.items.hits.map((h) => [h.item.text, h.owner, h.status])).toEqual([["Draft the logger placement plan", true, true]]);
    expect(score.items.misses.map((m) => m.owner)).toEqual(["Oliver Pennington"]);
    // The second extraction of one commitment is a duplicate, so it counts against precision.
    expect(score.items.inventions.map((i) => i.text)).toEqual(["Draft the placement plan again", "Guarantee zero leaks"]);
    expect(score.items.mustNot).toEqual(["Oliver Pennington: Guarantee zero leaks"]);

    const summary = summarize([score], []);
    expect(summary.deals).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 0, precision: 0.5, recall: 1 });
    expect(summary.actionItems).toMatchObject({ truePositives: 1, falsePositives: 2, falseNegatives: 1 });
    expect(summary.series.checks.rate).toBeNull();
  });

  it("judges an amount outside every range, a wrong stage and a missing buyer as wrong", () => {
    const [hit] = scoreTranscript(gold, {
      deals: [deal("Leak logger rollout", { amount: 18000, stage: "closed_won", meddic: { ...deal("x").meddic, economic_buyer: null } })],
      actionItems: [],
    }).deals.hits;
    expect(hit).toMatchObject({ amount: false, stage: false, economicBuyer: false });
  });
});

describe("series checks", () => {
  const state = {
    deals: [
      {
        name: "Leak loggers",
        summary: "",
        stage: "closed_won",
        amount: 289500,
        currency: "GBP",
        economicBuyer: "Clive Rowntree",
        champion: null,
        updatedAt: "2026-04-20T00:00:00.000Z",
      },
      {
        name: "Archive storage",
        summary: "",
        stage: "proposal",
        amount: null,
        currency: null,
        economicBuyer: null,
        champion: null,
        updatedAt: "2026-04-21T00:00:00.000Z",
      },
    ],
    items: [
      { text: "Send the case study", owner: "Oliver Pennington", status: "done" },
      { text: "Send the case study again", owner: "Oliver Pennington", status: "open" },
    ],
  };

  it("picks the deal by its keywords and checks stage, amount and people", () => {
    expect(runCheck({ name: "n", type: "final_stage", equals: ["closed_won"], deal_keywords: ["leak"] }, state).passed).toBe(true);
    expect(runCheck({ name: "n", type: "final_stage", equals: ["closed_won"] }, state).passed).toBe(false);
    expect(runCheck({ name: "n", type: "amount", range: [[289500, 289500]], deal_keywords: ["leak"] }, state).passed).toBe(true);
    expect(runCheck({ name: "n", type: "economic_buyer", name_is: "Clive Rowntree", deal_keywords: ["leak"] }, state).passed).toBe(true);
    expect(runCheck({ name: "n", type: "deal_count", equals: 1 }, state)).toMatchObject({ passed: false, actual: "2 deals" });
  });

  it("fails an item check on a duplicate or on the wrong status", () => {
    expect(runCheck({ name: "n", type: "item", owner: "Oliver Pennington", keywords: ["case study"], count: 1, status: "done" }, state).passed).toBe(false);
    expect(runCheck({ name: "n", type: "item", owner: "Oliver Pennington", keywords: ["case study"], count: 2 }, state).passed).toBe(true);
  });
});
