import type { CheckOutcome } from "./score-series";
import type { TranscriptScore } from "./score-transcript";

export interface Rate {
  correct: number;
  total: number;
  /** null when nothing was scored. */
  rate: number | null;
}

export interface PrecisionRecall {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface EvaluationSummary {
  transcripts: number;
  deals: PrecisionRecall & { amount: Rate; currency: Rate; stage: Rate; economicBuyer: Rate; champion: Rate; mustNot: number };
  actionItems: PrecisionRecall & { owner: Rate; status: Rate; mustNot: number };
  series: { count: number; checks: Rate };
}

function rate(verdicts: ReadonlyArray<boolean | null>): Rate {
  const scored = verdicts.filter((v): v is boolean => v !== null);
  const correct = scored.filter(Boolean).length;
  return { correct, total: scored.length, rate: scored.length === 0 ? null : correct / scored.length };
}

export function precisionRecall(tp: number, fp: number, fn: number): PrecisionRecall {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? precision === null && recall === null
        ? null
        : 0
      : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

export function summarize(scores: readonly TranscriptScore[], seriesChecks: ReadonlyArray<readonly CheckOutcome[]>): EvaluationSummary {
  const dealHits = scores.flatMap((s) => s.deals.hits);
  const itemHits = scores.flatMap((s) => s.items.hits);
  const sum = (pick: (s: TranscriptScore) => number) => scores.reduce((n, s) => n + pick(s), 0);
  // Precision and recall of one side, from its hits and every transcript's inventions and misses.
  const found = (side: "deals" | "items", hits: number) => ({
    ...precisionRecall(
      hits,
      sum((s) => s[side].inventions.length),
      sum((s) => s[side].misses.length),
    ),
    mustNot: sum((s) => s[side].mustNot.length),
  });
  return {
    transcripts: scores.length,
    deals: {
      ...found("deals", dealHits.length),
      amount: rate(dealHits.map((h) => h.amount)),
      currency: rate(dealHits.map((h) => h.currency)),
      stage: rate(dealHits.map((h) => h.stage)),
      economicBuyer: rate(dealHits.map((h) => h.economicBuyer)),
      champion: rate(dealHits.map((h) => h.champion)),
    },
    actionItems: {
      ...found("items", itemHits.length),
      owner: rate(itemHits.map((h) => h.owner)),
      status: rate(itemHits.map((h) => h.status)),
    },
    series: { count: seriesChecks.length, checks: rate(seriesChecks.flat().map((c) => c.passed)) },
  };
}
