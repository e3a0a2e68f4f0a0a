import type { Participants, Utterance } from "../transcript";

/** One sentence of the conversation with who said it; the unit every deal rule reads. */
export interface Statement {
  /** Position in the whole conversation, in reading order. */
  at: number;
  utterance: Utterance;
  sentence: string;
  speaker: string | null;
  /** The seller's side said it (null when the side is unknown). */
  seller: boolean | null;
}

export function statementsOf(utterances: readonly Utterance[], participants: Participants): Statement[] {
  const statements: Statement[] = [];
  for (const u of utterances) {
    const seller = u.speaker === null || participants.sellerOrganization === null ? null : participants.isSeller(u.speaker);
    for (const sentence of u.sentences) {
      statements.push({ at: statements.length, utterance: u, sentence, speaker: u.speaker, seller });
    }
  }
  return statements;
}

export const isQuestion = (s: Statement) => s.sentence.trim().endsWith("?");
