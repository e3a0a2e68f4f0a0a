import type { SentenceEmbedder } from "./sentence-embedder";
import { contentTerms } from "./text-features";

/*
 * Feature hashing of word unigrams and bigrams into a fixed number of dimensions, signed by a
 * second bit of the hash so that collisions cancel rather than pile up, with sub-linear term
 * weights and L2 normalisation. Texts that share words land close (cosine of a paraphrase that
 * keeps the key nouns is typically 0.6–0.9); texts that share none are near 0. Paraphrases in
 * other words land far apart, which is why it is a test double and not the offline embedder.
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

/**
 * A test double only: deterministic vectors with no model files, for tests that need vectors of
 * a chosen size or exact control over which texts land close. The offline provider runs the ONNX
 * sentence model (onnx-sentence-embedder.ts).
 */
export class HashingEmbedder implements SentenceEmbedder {
  readonly model = "feature-hashing";
  constructor(readonly dimension: number) {}

  embed(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((text) => hashingEmbedding(text, this.dimension)));
  }
}
