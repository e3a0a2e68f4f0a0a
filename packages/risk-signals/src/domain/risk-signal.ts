import type { RiskSeverity, RiskSignalCode } from "./risk-signal-codes";

/** A risk a rule finds in a deal now: what, how bad, since when, and what shows it. */
export interface RiskSignal {
  code: RiskSignalCode;
  severity: RiskSeverity;
  opportunityId: string;
  /** When the condition began (ISO timestamp); a signal already raised keeps the start it was raised with. */
  startedAt: string;
  evidence: { interactionId: string | null; quote: string | null };
  /**
   * One line for people. It names dates, never a count of days, so that a signal that stands
   * unchanged is not re-versioned every day it is evaluated.
   */
  detail: string;
}

/** The stable id of a deal's signal of one code: a signal cleared and raised again is the same node, versioned. */
export const signalId = (opportunityId: string, code: RiskSignalCode) => `${opportunityId}:${code}`;
