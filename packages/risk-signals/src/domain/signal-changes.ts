import type { RiskSeverity, RiskSignalCode } from "./risk-signal-codes";
import { signalId, type RiskSignal } from "./risk-signal";

/** A RiskSignal node as the deal graph keeps it: active, or cleared and kept with its history. */
export interface StoredSignal {
  signalId: string;
  opportunityId: string;
  accountId: string;
  code: RiskSignalCode;
  status: "active" | "cleared";
  severity: RiskSeverity;
  startedAt: string;
  clearedAt: string | null;
  evidenceInteractionId: string | null;
  evidenceQuote: string | null;
  detail: string;
  versionNumber: number;
}

export type SignalChangeKind = "raised" | "updated" | "cleared";

/** What one evaluation changes of one signal: its next state, and whether the stored one is snapshotted first. */
export interface SignalChange {
  kind: SignalChangeKind;
  next: StoredSignal;
  /** The state it replaces (null for a signal never raised before). */
  previous: StoredSignal | null;
}

const sameContent = (a: StoredSignal, b: StoredSignal) =>
  a.status === b.status &&
  a.severity === b.severity &&
  a.detail === b.detail &&
  a.evidenceInteractionId === b.evidenceInteractionId &&
  a.evidenceQuote === b.evidenceQuote;

function asStored(signal: RiskSignal, accountId: string, versionNumber: number, startedAt: string): StoredSignal {
  return {
    signalId: signalId(signal.opportunityId, signal.code),
    opportunityId: signal.opportunityId,
    accountId,
    code: signal.code,
    status: "active",
    severity: signal.severity,
    startedAt,
    clearedAt: null,
    evidenceInteractionId: signal.evidence.interactionId,
    evidenceQuote: signal.evidence.quote,
    detail: signal.detail,
    versionNumber,
  };
}

/**
 * What an evaluation changes against what is stored: a signal found and not active is raised
 * (again, as a new version, if it was cleared); one found and active keeps its start and is
 * versioned only if its severity, evidence or detail moved; one active and not found is cleared
 * as of `now`. An unchanged signal writes nothing, so evaluating again is idempotent.
 */
export function planSignalChanges(accountId: string, stored: readonly StoredSignal[], found: readonly RiskSignal[], now: Date): SignalChange[] {
  const byId = new Map(stored.map((s) => [s.signalId, s]));
  const changes: SignalChange[] = [];
  const seen = new Set<string>();
  for (const signal of found) {
    const id = signalId(signal.opportunityId, signal.code);
    seen.add(id);
    const previous = byId.get(id) ?? null;
    if (previous === null) {
      changes.push({ kind: "raised", previous, next: asStored(signal, accountId, 1, signal.startedAt) });
      continue;
    }
    if (previous.status === "cleared") {
      changes.push({ kind: "raised", previous, next: asStored(signal, accountId, previous.versionNumber + 1, signal.startedAt) });
      continue;
    }
    const next = asStored(signal, accountId, previous.versionNumber + 1, previous.startedAt);
    if (!sameContent(previous, next)) changes.push({ kind: "updated", previous, next });
  }
  for (const previous of stored) {
    if (seen.has(previous.signalId) || previous.status === "cleared") continue;
    changes.push({
      kind: "cleared",
      previous,
      next: { ...previous, status: "cleared", clearedAt: now.toISOString(), versionNumber: previous.versionNumber + 1 },
    });
  }
  return changes;
}
