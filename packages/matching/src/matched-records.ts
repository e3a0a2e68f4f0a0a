import type { CandidateResult } from "./candidate-search";

/** Every candidate's stored record across an envelope's search results, by id. */
export function candidateRecords<StoredRecord>(results: ReadonlyArray<CandidateResult<StoredRecord>>): Map<string, StoredRecord> {
  return new Map(results.flatMap((result) => [...result.records]));
}

/**
 * The stored records that matches point at, read into the pipeline's own type. An id without a
 * record (deleted since it matched) or whose record does not read is failed with why, so that
 * only the extracted records merging into it fail and the envelope's others go on.
 */
export function readMatchedRecords<Stored, Read>(
  ids: Iterable<string>,
  stored: ReadonlyMap<string, Stored>,
  read: (stored: Stored) => Read,
  noun: string,
): { records: Map<string, Read>; failed: Map<string, string> } {
  const records = new Map<string, Read>();
  const failed = new Map<string, string>();
  for (const id of ids) {
    const found = stored.get(id);
    if (found === undefined) {
      failed.set(id, `matched ${noun} ${id} no longer exists`);
      continue;
    }
    try {
      records.set(id, read(found));
    } catch (error) {
      failed.set(id, error instanceof Error ? error.message : String(error));
    }
  }
  return { records, failed };
}
