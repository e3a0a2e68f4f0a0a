/**
 * One-to-one assignment of extracted entries to labelled ones: every pair that matches gets a
 * score, and pairs are taken best first, so an extraction that fits two labels takes the better
 * one and a second extraction of the same label is left over (a duplicate counts against
 * precision: one item per commitment).
 */
export function assignBestFirst(goldCount: number, extractedCount: number, score: (gold: number, extracted: number) => number | null): Map<number, number> {
  const pairs: Array<{ gold: number; extracted: number; score: number }> = [];
  for (let g = 0; g < goldCount; g++) {
    for (let e = 0; e < extractedCount; e++) {
      const s = score(g, e);
      if (s !== null) pairs.push({ gold: g, extracted: e, score: s });
    }
  }
  // Ties keep label order, then extraction order, so a run is reproducible.
  pairs.sort((a, b) => b.score - a.score || a.gold - b.gold || a.extracted - b.extracted);
  const byGold = new Map<number, number>();
  const taken = new Set<number>();
  for (const pair of pairs) {
    if (byGold.has(pair.gold) || taken.has(pair.extracted)) continue;
    byGold.set(pair.gold, pair.extracted);
    taken.add(pair.extracted);
  }
  return byGold;
}
