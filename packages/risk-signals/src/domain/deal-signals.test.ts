import type { AccountState, DealSeen, DealStateSeen, InteractionSeen, ItemSeen } from "./account-state";
import { evaluateAccount } from "./deal-signals";
import type { RiskSignalCode } from "./risk-signal-codes";
import { DEFAULT_RISK_THRESHOLDS } from "./risk-thresholds";

/*
 * Made-up account states, each a healthy deal with one thing wrong, read at a fixed clock.
 * The healthy baseline raises nothing, so each case shows the one rule it is about.
 */

const NOW = new Date("2026-05-01T12:00:00Z");
const SELLER = "Skyline Cloud";
const BUYER = "Harbor Dental";

function call(id: string, occurredAt: string, speakers: InteractionSeen["speakers"] = null): InteractionSeen {
  return {
    interactionId: id,
    occurredAt,
    userId: "user-priya",
    speakers: speakers ?? [
      { name: "Priya Shah", org: SELLER },
      { name: "Grace Liu", org: BUYER },
      { name: "Owen Brooks", org: BUYER },
    ],
  };
}

function version(n: number, validFrom: string, over: Partial<DealStateSeen> = {}): DealStateSeen {
  return {
    versionNumber: n,
    stage: "qualification",
    amount: 90_000,
    closeTimeframe: "end of Q3",
    competitionNamed: false,
    meddicCompleteness: 0.5,
    ontologyCompleteness: 0.4,
    validFrom,
    sourceInteractionId: `call-${n}`,
    ...over,
  };
}

function deal(over: Partial<DealSeen> = {}): DealSeen {
  return {
    opportunityId: "opp-1",
    name: "Clinic analytics",
    economicBuyer: { text: "Grace Liu, COO", quote: "I'm the COO, so this is my budget." },
    champion: { text: "Owen Brooks", quote: "I'll push this internally." },
    competition: null,
    scores: { pricingAlignment: 2, competitivePosition: null, incumbentDisplacementRisk: null },
    pricingQuote: "about 90,000 dollars a year",
    history: [version(1, "2026-04-10T15:00:00Z"), version(2, "2026-04-24T15:00:00Z", { stage: "proposal" })],
    interactionIds: ["call-1", "call-2"],
    ...over,
  };
}

function account(over: Partial<AccountState> = {}): AccountState {
  return {
    tenantId: "t",
    accountId: "acct-harbor",
    interactions: [call("call-1", "2026-04-10T15:00:00Z"), call("call-2", "2026-04-24T15:00:00Z")],
    deals: [deal()],
    items: [],
    otherAccountsOrgs: [],
    ...over,
  };
}

function item(over: Partial<ItemSeen>): ItemSeen {
  return {
    actionItemId: "item-1",
    text: "Send the pilot proposal",
    status: "open",
    dueDate: "2026-04-29",
    ownerName: "Priya Shah",
    evidenceQuote: "I'll send a pilot proposal by next Wednesday.",
    sourceInteractionId: "call-2",
    ...over,
  };
}

const codes = (state: AccountState, now = NOW, thresholds = DEFAULT_RISK_THRESHOLDS) =>
  evaluateAccount(state, now, thresholds)
    .map((s) => s.code)
    .sort();
const only = (state: AccountState, code: RiskSignalCode, now = NOW) => {
  const found = evaluateAccount(state, now, DEFAULT_RISK_THRESHOLDS).filter((s) => s.code === code);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe("evaluateAccount", () => {
  it("raises nothing for a healthy, active, well-qualified deal", () => {
    expect(codes(account())).toEqual([]);
  });

  it("raises nothing for a closed deal, whatever is missing", () => {
    const closed = deal({ economicBuyer: null, champion: null, history: [version(1, "2026-01-01T00:00:00Z", { stage: "closed_won" })] });
    expect(codes(account({ deals: [closed], interactions: [] }))).toEqual([]);
  });

  it("no economic buyer: medium early, high once a proposal is on the table, since the deal began", () => {
    const early = deal({ economicBuyer: null, history: [version(1, "2026-04-24T15:00:00Z")] });
    expect(only(account({ deals: [early] }), "no_economic_buyer").severity).toBe("medium");
    const signal = only(account({ deals: [deal({ economicBuyer: null })] }), "no_economic_buyer");
    expect(signal).toMatchObject({ severity: "high", startedAt: "2026-04-10T15:00:00Z", evidence: { interactionId: "call-2" } });
  });

  it("no champion: high only in negotiation", () => {
    expect(only(account({ deals: [deal({ champion: null })] }), "no_champion").severity).toBe("medium");
    const negotiating = deal({ champion: null, history: [version(1, "2026-04-24T15:00:00Z", { stage: "negotiation" })] });
    expect(only(account({ deals: [negotiating] }), "no_champion").severity).toBe("high");
  });

  it("single-threaded: one buyer-side voice, with the seller told apart by the recording user", () => {
    const onlyGrace = [
      { name: "Priya Shah", org: SELLER },
      { name: "Grace Liu", org: BUYER },
    ];
    const state = account({ interactions: [call("call-1", "2026-04-10T15:00:00Z", onlyGrace), call("call-2", "2026-04-24T15:00:00Z", onlyGrace)] });
    expect(only(state, "single_threaded").detail).toBe("Only Grace Liu from the buyer's side has spoken");
  });

  it("single-threaded: says nothing when the seller cannot be told apart", () => {
    const strangers = [
      { name: "Alex Doe", org: "Org A" },
      { name: "Sam Roe", org: "Org B" },
    ];
    const state = account({ interactions: [{ ...call("call-1", "2026-04-24T15:00:00Z", strangers), userId: null }] });
    expect(codes(state)).not.toContain("single_threaded");
    // The seller's organisation seen in another account's calls settles it.
    expect(codes({ ...state, otherAccountsOrgs: ["org a"] })).toContain("single_threaded");
  });

  it("pricing never discussed: low before a proposal, high at one", () => {
    const unpriced = (stage: string) =>
      deal({
        pricingQuote: null,
        scores: { pricingAlignment: null, competitivePosition: null, incumbentDisplacementRisk: null },
        history: [version(1, "2026-04-24T15:00:00Z", { stage, amount: null })],
      });
    expect(only(account({ deals: [unpriced("qualification")] }), "pricing_not_discussed").severity).toBe("low");
    expect(only(account({ deals: [unpriced("proposal")] }), "pricing_not_discussed").severity).toBe("high");
    // An amount stated in any version is pricing discussed.
    const pricedOnce = unpriced("proposal");
    pricedOnce.history.unshift(version(0, "2026-04-01T00:00:00Z", { amount: 10 }));
    expect(codes(account({ deals: [pricedOnce] }))).not.toContain("pricing_not_discussed");
  });

  it("competitor active: since the call that named it, with its quote; high when scored a threat", () => {
    const competing = deal({
      competition: { text: "Tableau", quote: "We are also looking at Tableau." },
      history: [version(1, "2026-04-10T15:00:00Z"), version(2, "2026-04-24T15:00:00Z", { stage: "proposal", competitionNamed: true })],
    });
    expect(only(account({ deals: [competing] }), "competitor_active")).toMatchObject({
      severity: "medium",
      startedAt: "2026-04-24T15:00:00Z",
      evidence: { interactionId: "call-2", quote: "We are also looking at Tableau." },
    });
    const entrenched = { ...competing, scores: { ...competing.scores, incumbentDisplacementRisk: 3 } };
    expect(only(account({ deals: [entrenched] }), "competitor_active").severity).toBe("high");
  });

  it("stalled by days: no stage move for stalledDays, starting the day it crossed", () => {
    const still = deal({ history: [version(1, "2026-03-01T15:00:00Z"), version(2, "2026-04-24T15:00:00Z")] });
    expect(only(account({ deals: [still] }), "stalled")).toMatchObject({ startedAt: "2026-03-31T15:00:00.000Z", evidence: { interactionId: "call-1" } });
    expect(codes(account({ deals: [still] }), new Date("2026-03-30T00:00:00Z"))).not.toContain("stalled");
  });

  it("stalled by calls: stalledCalls calls without a stage move, even within the days", () => {
    const history = [0, 1, 2, 3].map((n) => version(n + 1, `2026-04-2${n}T15:00:00Z`));
    const signal = only(account({ deals: [deal({ history })] }), "stalled");
    expect(signal.startedAt).toBe("2026-04-23T15:00:00Z");
    expect(codes(account({ deals: [deal({ history: history.slice(0, 3) })] }))).not.toContain("stalled");
  });

  it("gone quiet: quietDays after the account's last interaction, whatever the deal", () => {
    const signal = only(account(), "gone_quiet", new Date("2026-05-16T00:00:00Z"));
    expect(signal).toMatchObject({ startedAt: "2026-05-15T15:00:00.000Z", evidence: { interactionId: "call-2" } });
    expect(codes(account(), new Date("2026-05-15T14:00:00Z"))).not.toContain("gone_quiet");
  });

  it("close date passed: the day after the period the timeframe named, read against when it was said", () => {
    const passed = deal({
      history: [
        version(1, "2026-01-10T15:00:00Z", { closeTimeframe: "end of Q1" }),
        version(2, "2026-04-24T15:00:00Z", { stage: "proposal", closeTimeframe: "end of Q1" }),
      ],
    });
    expect(only(account({ deals: [passed] }), "close_date_passed")).toMatchObject({
      severity: "high",
      startedAt: "2026-04-01T00:00:00.000Z",
      evidence: { interactionId: "call-1", quote: "end of Q1" },
    });
    // "by June" is not passed on 1 May, nor is a timeframe that names no period.
    const open = (closeTimeframe: string) => deal({ history: [version(1, "2026-04-24T15:00:00Z", { closeTimeframe })] });
    expect(codes(account({ deals: [open("by June")] }))).not.toContain("close_date_passed");
    expect(codes(account({ deals: [open("once the board approves")] }))).not.toContain("close_date_passed");
  });

  it("close date slipping: a call moving the close later by more than slipDays, until a later move is no slip", () => {
    const slipped = deal({
      history: [
        version(1, "2026-04-10T15:00:00Z", { closeTimeframe: "by June" }),
        version(2, "2026-04-24T15:00:00Z", { stage: "proposal", closeTimeframe: "end of Q3" }),
      ],
    });
    expect(only(account({ deals: [slipped] }), "close_date_slipping")).toMatchObject({
      severity: "medium",
      startedAt: "2026-04-24T15:00:00Z",
      detail: "The close moved from 2026-06-30 to 2026-09-30",
    });
    const pulledIn = { ...slipped, history: [...slipped.history, version(3, "2026-04-28T15:00:00Z", { stage: "proposal", closeTimeframe: "by August" })] };
    expect(codes(account({ deals: [pulledIn] }))).not.toContain("close_date_slipping");
    const nudged = deal({
      history: [version(1, "2026-04-10T15:00:00Z", { closeTimeframe: "by June 20" }), version(2, "2026-04-24T15:00:00Z", { closeTimeframe: "by June 30" })],
    });
    expect(codes(account({ deals: [nudged] }))).not.toContain("close_date_slipping");
  });

  it("qualification regressing: completeness fallen from its peak by regressionDrop, from the version it fell", () => {
    const falling = deal({
      history: [
        version(1, "2026-04-10T15:00:00Z", { meddicCompleteness: 0.83 }),
        version(2, "2026-04-20T15:00:00Z", { meddicCompleteness: 0.5, stage: "proposal" }),
        version(3, "2026-04-24T15:00:00Z", { meddicCompleteness: 0.5, stage: "proposal" }),
      ],
    });
    expect(only(account({ deals: [falling] }), "qualification_regressing")).toMatchObject({
      startedAt: "2026-04-20T15:00:00Z",
      evidence: { interactionId: "call-2" },
      detail: "MEDDIC completeness fell from 83% to 50%",
    });
    const recovered = { ...falling, history: [...falling.history, version(4, "2026-04-25T15:00:00Z", { meddicCompleteness: 0.8, stage: "proposal" })] };
    expect(codes(account({ deals: [recovered] }))).not.toContain("qualification_regressing");
  });

  it("overdue items: split by the owner's side, the seller's high, the earliest as evidence", () => {
    const items = [
      item({
        actionItemId: "a",
        ownerName: "Grace Liu",
        dueDate: "2026-04-27",
        text: "Pick the pilot clinics",
        evidenceQuote: "I'll pick the five pilot clinics.",
      }),
      item({ actionItemId: "b", ownerName: "Priya", dueDate: "2026-04-29" }),
      item({ actionItemId: "c", ownerName: "Owen Brooks", dueDate: "2026-05-20" }),
      item({ actionItemId: "d", ownerName: "Owen Brooks", dueDate: "2026-04-01", status: "done" }),
    ];
    const state = account({ items });
    expect(only(state, "overdue_customer_items")).toMatchObject({
      severity: "medium",
      startedAt: "2026-04-28T00:00:00.000Z",
      evidence: { interactionId: "call-2", quote: "I'll pick the five pilot clinics." },
    });
    expect(only(state, "overdue_seller_items")).toMatchObject({
      severity: "high",
      detail: "1 overdue (Priya); the first was due 2026-04-29: Send the pilot proposal",
    });
    // Due today is not overdue; the grace days push it further.
    expect(codes(account({ items: [item({ dueDate: "2026-05-01" })] }))).toEqual([]);
    expect(codes(account({ items: [item({ dueDate: "2026-04-29" })] }), NOW, { ...DEFAULT_RISK_THRESHOLDS, overdueGraceDays: 3 })).toEqual([]);
  });

  it("an item whose owner no speaker matches is the seller's to chase", () => {
    expect(codes(account({ items: [item({ ownerName: "Someone Else" })] }))).toEqual(["overdue_seller_items"]);
  });
});
