const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);

/**
 * Whether a stored text changed enough that its `embedding_current` must be recomputed: the two
 * texts' word sets overlap less than `minOverlap` (Jaccard). Rewording a sentence keeps the
 * embedding; a new topic or figure changes it.
 */
export function textChangedMaterially(before: string, after: string, minOverlap = 0.85): boolean {
  const a = words(before);
  const b = words(after);
  if (a.size === 0 && b.size === 0) return false;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared) < minOverlap;
}
