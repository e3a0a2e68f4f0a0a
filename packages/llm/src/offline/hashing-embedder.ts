import { contentTerms } from "./text-features";

/*
 * Feature hashing of word unigrams and bigrams into a fixed number of dimensions, signed by a
 * second bit of the hash so that collisions cancel rather than pile up, with sub-linear term
 * weights and L2 normalisation. Texts that share words land close (cosine of a paraphrase that
 * keeps the key nouns is typically 0.6–0.9); texts that share none are near 0.
 */

const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;

/** FNV-1a, 32 bit. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function hashingEmbedding(text: string, dimension: number): number[] {
  const terms = contentTerms(text);
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
  terms.forEach((term, i) => {
    add(`u:${term}`, UNIGRAM_WEIGHT);
    const next = terms[i + 1];
    if (next !== undefined) add(`b:${term} ${next}`, BIGRAM_WEIGHT);
  });
  if (features.size === 0) add(`empty:${text.trim().toLowerCase()}`, 1);

  const vector = new Array<number>(dimension).fill(0);
  for (const [feature, weight] of features) {
    const hash = fnv1a(feature);
    const sign = fnv1a(`sign:${feature}`) & 1 ? 1 : -1;
    const slot = hash % dimension;
    vector[slot] = (vector[slot] ?? 0) + sign * (1 + Math.log(weight));
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
