import { signalsAsOf, type SignalState } from "./signal-history";

const state = (over: Partial<SignalState>): SignalState => ({
  signal_id: "opp:stalled",
  opportunity_id: "opp",
  code: "stalled",
  status: "active",
  severity: "medium",
  started_at: "2026-04-01T00:00:00Z",
  cleared_at: null,
  evidence_interaction_id: null,
  evidence_quote: null,
  detail: "",
  version_number: 1,
  ...over,
});

describe("signalsAsOf", () => {
  const raisedAndCleared = [state({}), state({ status: "cleared", cleared_at: "2026-05-01T00:00:00Z", version_number: 2 })];
  const raisedAgain = [...raisedAndCleared, state({ started_at: "2026-06-01T00:00:00Z", version_number: 3 })];

  it("without a date, answers the active ones, most severe first", () => {
    const signals = [
      state({ code: "a", signal_id: "a" }),
      state({ code: "b", signal_id: "b", severity: "high" }),
      state({ code: "c", signal_id: "c", status: "cleared" }),
    ];
    expect(signalsAsOf(signals, null).map((s) => s.code)).toEqual(["b", "a"]);
  });

  it("at a date, answers each raising that stood then: from its start until it was cleared", () => {
    expect(signalsAsOf(raisedAndCleared, "2026-03-31T00:00:00Z")).toEqual([]);
    expect(signalsAsOf(raisedAndCleared, "2026-04-15T00:00:00Z")).toHaveLength(1);
    expect(signalsAsOf(raisedAndCleared, "2026-05-15T00:00:00Z")).toEqual([]);
    expect(signalsAsOf(raisedAgain, "2026-06-15T00:00:00Z").map((s) => s.version_number)).toEqual([3]);
  });
});
