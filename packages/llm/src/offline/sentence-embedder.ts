/** Turns texts into L2-normalised vectors, in input order. */
export interface SentenceEmbedder {
  /** What the vectors come from, for metrics and reports. */
  readonly model: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
