/** A risk signal's state as the deal room shows it: a current row or one of its versions. */
export interface SignalState {
  signal_id: string;
  opportunity_id: string;
  code: string;
  status: "active" | "cleared";
  severity: "low" | "medium" | "high";
  started_at: Date | string;
  cleared_at: Date | string | null;
  evidence_interaction_id: string | null;
  evidence_quote: string | null;
  detail: string;
  version_number: number;
}

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/**
 * The signals that stood at `at`: each raising of a signal stood from when its condition began
 * (`started_at`, in the conversation's time) until it was cleared. Without `at`, those active now.
 * Most severe first, then the longest standing.
 */
export function signalsAsOf(states: readonly SignalState[], at: string | null): SignalState[] {
  const standing =
    at === null
      ? states.filter((s) => s.status === "active")
      : latestPerRaising(states).filter((s) => {
          const from = time(s.started_at)!;
          const until = time(s.cleared_at);
          const t = Date.parse(at);
          return from <= t && (until === null || t < until);
        });
  return standing.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || time(a.started_at)! - time(b.started_at)! || a.code.localeCompare(b.code),
  );
}

/** The last state of each raising (a signal raised, updated, cleared, raised again is two raisings). */
function latestPerRaising(states: readonly SignalState[]): SignalState[] {
  const latest = new Map<string, SignalState>();
  for (const state of [...states].sort((a, b) => a.version_number - b.version_number)) {
    latest.set(`${state.signal_id}@${new Date(state.started_at).toISOString()}`, state);
  }
  return [...latest.values()];
}
