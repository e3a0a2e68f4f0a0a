import type { RiskSignal } from "./risk-signal";
import { planSignalChanges, type StoredSignal } from "./signal-changes";

const NOW = new Date("2026-05-01T12:00:00Z");

const found = (over: Partial<RiskSignal> = {}): RiskSignal => ({
  code: "no_champion",
  severity: "medium",
  opportunityId: "opp-1",
  startedAt: "2026-04-10T15:00:00Z",
  evidence: { interactionId: "call-2", quote: null },
  detail: "No one on the buyer's side is named as pushing for the deal",
  ...over,
});

const stored = (over: Partial<StoredSignal> = {}): StoredSignal => ({
  signalId: "opp-1:no_champion",
  opportunityId: "opp-1",
  accountId: "acct",
  code: "no_champion",
  status: "active",
  severity: "medium",
  startedAt: "2026-04-10T15:00:00Z",
  clearedAt: null,
  evidenceInteractionId: "call-2",
  evidenceQuote: null,
  detail: "No one on the buyer's side is named as pushing for the deal",
  versionNumber: 1,
  ...over,
});

describe("planSignalChanges", () => {
  it("raises a signal never seen, as version 1", () => {
    const [change] = planSignalChanges("acct", [], [found()], NOW);
    expect(change).toMatchObject({ kind: "raised", previous: null, next: { signalId: "opp-1:no_champion", status: "active", versionNumber: 1 } });
  });

  it("writes nothing when what is found is what is stored: evaluating again is idempotent", () => {
    expect(planSignalChanges("acct", [stored()], [found({ startedAt: "2026-04-30T00:00:00Z" })], NOW)).toEqual([]);
  });

  it("versions a standing signal whose severity or evidence moved, keeping when it started", () => {
    const [change] = planSignalChanges("acct", [stored()], [found({ severity: "high", startedAt: "2026-04-30T00:00:00Z" })], NOW);
    expect(change).toMatchObject({ kind: "updated", next: { severity: "high", startedAt: "2026-04-10T15:00:00Z", versionNumber: 2 } });
  });

  it("clears an active signal no longer found, as of now", () => {
    const [change] = planSignalChanges("acct", [stored()], [], NOW);
    expect(change).toMatchObject({ kind: "cleared", next: { status: "cleared", clearedAt: NOW.toISOString(), versionNumber: 2 } });
    expect(planSignalChanges("acct", [stored({ status: "cleared" })], [], NOW)).toEqual([]);
  });

  it("raises a cleared signal again as a new version with a new start", () => {
    const [change] = planSignalChanges(
      "acct",
      [stored({ status: "cleared", clearedAt: "2026-04-20T00:00:00Z", versionNumber: 2 })],
      [found({ startedAt: "2026-04-30T00:00:00Z" })],
      NOW,
    );
    expect(change).toMatchObject({ kind: "raised", next: { status: "active", clearedAt: null, startedAt: "2026-04-30T00:00:00Z", versionNumber: 3 } });
  });
});
