import * as chrono from "chrono-node";

/*
 * The calendar date a due hint means, read relative to when the conversation happened: "by
 * Friday" said on Wednesday 15 April 2026 is 17 April 2026, "next week" the Monday after. Hints
 * that name no day ("soon", "after the survey") resolve to nothing: a wrong date in a CRM field
 * is worse than none.
 */

/** ISO date (YYYY-MM-DD) of a due hint, or null when the hint names no date. */
export function resolveDueDate(hint: string | null, occurredAt: string | null): string | null {
  if (hint === null || occurredAt === null) return null;
  const reference = new Date(occurredAt);
  if (Number.isNaN(reference.getTime())) return null;
  const [parsed] = chrono.parse(hint, { instant: reference, timezone: 0 }, { forwardDate: true });
  if (!parsed) return null;
  const date = parsed.end?.date() ?? parsed.start.date();
  // A due date before the conversation is a misreading ("last Friday" is not a deadline).
  if (date.getTime() < reference.getTime() - 86_400_000) return null;
  return date.toISOString().slice(0, 10);
}
