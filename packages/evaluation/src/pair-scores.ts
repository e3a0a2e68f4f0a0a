/*
 * How far apart the same deal lands in the embedding space when two calls describe it, against
 * how close two different deals of one account land: the evidence for the matching thresholds
 * (DESIGN §6 stage 2). Pairs come from account series: an entry of one call against every entry
 * of the later calls (and of its own call), labelled the same when both were matched to labels
 * with the same keywords.
 */

export interface LabelledEntry {
  /** The text the pipeline embeds ("{name}: {summary}" for deals, the item text for items). */
  text: string;
  /** Keywords of the label it was matched to; null when it matched none. */
  label: string | null;
  call: number;
}

export interface PairScore {
  same: boolean;
  score: number;
  a: string;
  b: string;
}

export interface ScoreDistribution {
  pairs: number;
  min: number | null;
  p10: number | null;
  median: number | null;
  p90: number | null;
  max: number | null;
}

export function labelledPairs(entries: readonly LabelledEntry[]): Array<{ a: LabelledEntry; b: LabelledEntry; same: boolean }> {
  const pairs: Array<{ a: LabelledEntry; b: LabelledEntry; same: boolean }> = [];
  entries.forEach((a, i) => {
    entries.forEach((b, j) => {
      // Later calls against earlier ones (what matching sees), and two entries of one call: both
      // are deals of one account, so a different-label pair is a merge that must not happen.
      if (j <= i || b.call < a.call || a.label === null || b.label === null || a.text === b.text) return;
      if (b.call === a.call && a.label === b.label) return;
      pairs.push({ a, b, same: a.label === b.label });
    });
  });
  return pairs;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;

export function distribution(scores: readonly number[]): ScoreDistribution {
  const sorted = [...scores].sort((x, y) => x - y);
  return {
    pairs: sorted.length,
    min: sorted[0] ?? null,
    p10: quantile(sorted, 0.1),
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    max: sorted[sorted.length - 1] ?? null,
  };
}

/**
 * Thresholds the pairs support: merging without asking only above every different-deal pair
 * (a false merge destroys data), asking the model only above the point where same-deal pairs
 * start (below it, new is right).
 */
export function suggestedThresholds(pairs: readonly PairScore[]): { autoMerge: number | null; askModel: number | null } {
  const different = pairs.filter((p) => !p.same).map((p) => p.score);
  const same = pairs.filter((p) => p.same).map((p) => p.score);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    autoMerge: different.length === 0 ? null : round(Math.min(0.99, Math.max(...different) + 0.05)),
    askModel: same.length === 0 ? null : round(Math.max(0, Math.min(...same) - 0.05)),
  };
}
