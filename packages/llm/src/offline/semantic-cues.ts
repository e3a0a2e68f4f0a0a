import type { SentenceEmbedder } from "./sentence-embedder";
import { cosineSimilarity } from "./sentence-embedder";

/*
 * Sentences classified by meaning with the local sentence model: each kind of statement the
 * qualification reads (a problem and its cost, how success is measured, what the buyer requires,
 * how the decision is made, the paperwork, competition) is described by a few
 * plain sentences written for this purpose, and a sentence takes a kind when it lands clearly
 * closer to that kind than to small talk. This catches what cue words miss ("the old system
 * falls over every month-end") without listing every way of saying it.
 */

export const SEMANTIC_KINDS = ["pain", "metrics", "criteria", "process", "paper", "competition"] as const;
export type SemanticKind = (typeof SEMANTIC_KINDS)[number];

const PROTOTYPES: Record<SemanticKind | "neutral", string[]> = {
  pain: [
    "Our current process is slow and it costs us money every week.",
    "The old system keeps failing and our staff work around it by hand.",
    "We keep losing customers because our deliveries are late.",
    "Nobody can see what is happening until it is too late.",
  ],
  metrics: [
    "Success for us means cutting the processing time in half.",
    "If it reduces errors by twenty percent, the investment pays for itself.",
    "We measure this by the hours saved per week.",
  ],
  criteria: [
    "It has to integrate with the systems we already run.",
    "Our requirement is that the data stays in our own country.",
    "The deciding factor will be how easy it is for the staff to use.",
  ],
  process: [
    "The decision goes to the steering committee next month.",
    "We need approval from the board before anything is signed.",
    "First the team evaluates it, then finance reviews the business case.",
  ],
  paper: [
    "Legal will need to review the contract before we sign.",
    "This has to go through our procurement process and a tender.",
    "We need your security questionnaire and data processing agreement.",
  ],
  competition: [
    "We are also talking to another vendor about this.",
    "Our current supplier offered us a discount to stay.",
    "A competitor quoted us a lower price for the same thing.",
  ],
  neutral: [
    "Thanks for joining the call today.",
    "Can everyone hear me okay?",
    "Let me share my screen.",
    "How was your weekend?",
    "I'll send you the notes after this.",
    "Sounds good, talk soon.",
  ],
};

/** How much closer than small talk a sentence must be, and how close in absolute terms (MiniLM's scale). */
const MARGIN = 0.12;
const FLOOR = 0.45;

export interface SemanticCues {
  has(sentence: string, kind: SemanticKind): boolean;
}

export const NO_SEMANTIC_CUES: SemanticCues = { has: () => false };

export class SentenceClassifier {
  private prototypes: Promise<Map<SemanticKind | "neutral", number[][]>> | null = null;

  constructor(private readonly embedder: SentenceEmbedder) {}

  private prototypeVectors(): Promise<Map<SemanticKind | "neutral", number[][]>> {
    this.prototypes ??= (async () => {
      const kinds = Object.keys(PROTOTYPES) as Array<SemanticKind | "neutral">;
      const vectors = await this.embedder.embed(kinds.flatMap((k) => PROTOTYPES[k]));
      const byKind = new Map<SemanticKind | "neutral", number[][]>();
      let at = 0;
      for (const kind of kinds) {
        byKind.set(kind, vectors.slice(at, at + PROTOTYPES[kind].length));
        at += PROTOTYPES[kind].length;
      }
      return byKind;
    })();
    return this.prototypes;
  }

  async classify(sentences: readonly string[]): Promise<SemanticCues> {
    const unique = [...new Set(sentences)];
    if (unique.length === 0) return NO_SEMANTIC_CUES;
    const [prototypes, vectors] = await Promise.all([this.prototypeVectors(), this.embedder.embed(unique)]);
    const closest = (vector: number[], kind: SemanticKind | "neutral") => Math.max(...(prototypes.get(kind) ?? []).map((p) => cosineSimilarity(vector, p)));
    const kinds = new Map<string, Set<SemanticKind>>();
    unique.forEach((sentence, i) => {
      const vector = vectors[i]!;
      const neutral = closest(vector, "neutral");
      const found = new Set<SemanticKind>();
      for (const kind of SEMANTIC_KINDS) {
        const score = closest(vector, kind);
        if (score >= FLOOR && score - neutral >= MARGIN) found.add(kind);
      }
      kinds.set(sentence, found);
    });
    return { has: (sentence, kind) => kinds.get(sentence)?.has(kind) ?? false };
  }
}
