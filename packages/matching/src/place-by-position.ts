import { cosineSimilarity } from "@dealgraph/llm";
import type { MatchResolution } from "./resolve-matches";

/**
 * Where one extracted record goes, by its position in the extraction. `repeat` says an earlier
 * position already went to the same place: two mentions of a stored record make one merge, two
 * new records with the same key (or near-identical embeddings) are one new record. Results are
 * never correlated by text: identical texts are still two positions.
 */
export type Placement =
  | { index: number; kind: "failed"; message: string }
  | { index: number; kind: "existing"; id: string; reason: Extract<MatchResolution, { kind: "existing" }>["reason"]; score: number | null; repeat: boolean }
  | { index: number; kind: "new"; group: number; bestScore: number | null; repeat: boolean };

export function placeByPosition(
  resolutions: readonly MatchResolution[],
  embeddings: readonly number[][],
  keys: readonly string[],
  sameSimilarity: number,
): Placement[] {
  const seenIds = new Set<string>();
  const groups: Array<{ index: number; key: string; embedding: number[] }> = [];
  return keys.map((key, index): Placement => {
    const resolution = resolutions[index];
    const embedding = embeddings[index];
    if (resolution === undefined || embedding === undefined) return { index, kind: "failed", message: "no match resolution or embedding" };
    if (resolution.kind === "failed") return { index, kind: "failed", message: resolution.message };
    if (resolution.kind === "existing") {
      const repeat = seenIds.has(resolution.id);
      seenIds.add(resolution.id);
      return { index, kind: "existing", id: resolution.id, reason: resolution.reason, score: resolution.score, repeat };
    }
    const twin = groups.find((g) => g.key === key || cosineSimilarity(g.embedding, embedding) >= sameSimilarity);
    if (twin) return { index, kind: "new", group: twin.index, bestScore: resolution.bestScore, repeat: true };
    groups.push({ index, key, embedding });
    return { index, kind: "new", group: index, bestScore: resolution.bestScore, repeat: false };
  });
}
