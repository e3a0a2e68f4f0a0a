export interface IdDiff {
  /** How many ids each side holds. */
  left: number;
  right: number;
  /** Ids only on the left (the graph): rows missing from the projection. At most `keep` are kept. */
  onlyLeft: string[];
  /** Ids only on the right (Postgres): rows with no entity behind them. At most `keep` are kept. */
  onlyRight: string[];
  onlyLeftCount: number;
  onlyRightCount: number;
}

/**
 * Walks two ascending id streams in step, like the merge of a merge sort, so a missing id and an
 * extra id are each seen (they cannot cancel out the way equal counts would) while memory holds
 * one page of each side, never the whole id lists. The streams must be sorted the same way
 * (plain code-point order) and hold no duplicates.
 */
export async function diffSortedIds(left: AsyncIterable<string>, right: AsyncIterable<string>, keep = 1000): Promise<IdDiff> {
  const diff: IdDiff = { left: 0, right: 0, onlyLeft: [], onlyRight: [], onlyLeftCount: 0, onlyRightCount: 0 };
  const l = left[Symbol.asyncIterator]();
  const r = right[Symbol.asyncIterator]();
  let a = await l.next();
  let b = await r.next();
  const takeLeft = async () => {
    diff.left += 1;
    a = await l.next();
  };
  const takeRight = async () => {
    diff.right += 1;
    b = await r.next();
  };
  while (!a.done || !b.done) {
    if (!a.done && (b.done || a.value < b.value)) {
      diff.onlyLeftCount += 1;
      if (diff.onlyLeft.length < keep) diff.onlyLeft.push(a.value);
      await takeLeft();
    } else if (!b.done && (a.done || b.value < a.value)) {
      diff.onlyRightCount += 1;
      if (diff.onlyRight.length < keep) diff.onlyRight.push(b.value);
      await takeRight();
    } else {
      await takeLeft();
      await takeRight();
    }
  }
  return diff;
}
