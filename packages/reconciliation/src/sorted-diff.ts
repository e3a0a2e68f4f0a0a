/** One entity on one side: its id, its content hash and the graph revision it carries (null: none yet). */
export interface Entry {
  id: string;
  hash: string;
  revision?: number | null;
}

/** A row that holds what the graph would project but not the graph's revision: its stamp is brought up to date, not repaired. */
export interface Restamp {
  id: string;
  graph: number | null;
  postgres: number | null;
}

export interface SortedDiff {
  /** How many entities each side holds. */
  graph: number;
  postgres: number;
  /** In the graph, not in Postgres. At most `keep` ids are kept; the counts are exact. */
  missing: string[];
  missingCount: number;
  /** In Postgres with no entity in the graph. */
  extra: string[];
  extraCount: number;
  /** On both sides, but the row does not hold what the projection would write now. */
  stale: string[];
  staleCount: number;
  /** In step by content, out of step by revision (at most `keep`): not drift. */
  restamp: Restamp[];
}

/**
 * Walks two id-ordered entry streams in step, like the merge of a merge sort: a missing row and
 * an extra row are each seen (they cannot cancel out the way equal counts would), a row with
 * the same id but other content is stale, and memory holds one page of each side, never the
 * whole id lists. Both streams must be sorted the same way (code-point order), without repeats.
 */
export async function diffSorted(graph: AsyncIterable<Entry>, postgres: AsyncIterable<Entry>, keep = 1000): Promise<SortedDiff> {
  const diff: SortedDiff = { graph: 0, postgres: 0, missing: [], missingCount: 0, extra: [], extraCount: 0, stale: [], staleCount: 0, restamp: [] };
  const left = graph[Symbol.asyncIterator]();
  const right = postgres[Symbol.asyncIterator]();
  let a = await left.next();
  let b = await right.next();
  const note = (list: string[], id: string) => {
    if (list.length < keep) list.push(id);
  };
  while (!a.done || !b.done) {
    if (!a.done && (b.done || a.value.id < b.value.id)) {
      diff.missingCount += 1;
      note(diff.missing, a.value.id);
      diff.graph += 1;
      a = await left.next();
    } else if (!b.done && (a.done || b.value.id < a.value.id)) {
      diff.extraCount += 1;
      note(diff.extra, b.value.id);
      diff.postgres += 1;
      b = await right.next();
    } else if (!a.done && !b.done) {
      if (a.value.hash !== b.value.hash) {
        diff.staleCount += 1;
        note(diff.stale, a.value.id);
      } else if ((a.value.revision ?? null) !== (b.value.revision ?? null) || a.value.revision === null) {
        if (diff.restamp.length < keep) diff.restamp.push({ id: a.value.id, graph: a.value.revision ?? null, postgres: b.value.revision ?? null });
      }
      diff.graph += 1;
      diff.postgres += 1;
      [a, b] = await Promise.all([left.next(), right.next()]);
    }
  }
  return diff;
}
