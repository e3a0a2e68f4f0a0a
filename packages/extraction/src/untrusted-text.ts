/*
 * Transcripts are written by whoever was on the call, or whoever forged the file. A sentence
 * that addresses the extraction system instead of the people on the call is not evidence of
 * anything: the offline rules skip it, and the guards never accept an amount that only such a
 * sentence states. This is a second line of defence; the first is that prompts pass the
 * transcript as delimited data and output goes through the schema and the guards.
 */

const INSTRUCTION_PATTERNS: RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|prompts?|rules?|guidelines?|context|above|previous|prior)\b/i,
  /\b(system|developer)\s+(prompt|message|instructions?)\b/i,
  /\byou\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|language model|chatgpt|gpt|model|extractor)\b/i,
  /\b(as an ai|ai assistant|language model)\b/i,
  /\b(set|change|record|report|output|mark|log|enter)\s+(the\s+)?(deal\s+)?(amount|value|size|stage)\s+(to|as|at)\b/i,
  /\bnew instructions?\b/i,
  /<\/?\s*(system|transcript|instructions?|data)\s*>/i,
  /\b(jailbreak|prompt injection)\b/i,
];

/** True for a sentence that gives instructions to a machine reading the transcript. */
export function looksLikeInstruction(sentence: string): boolean {
  return INSTRUCTION_PATTERNS.some((pattern) => pattern.test(sentence));
}

/** Splits sentences into what people said and what addressed a machine, testing each once. */
export function setAsideInstructions(sentences: readonly string[]): { said: string[]; instructions: string[] } {
  const said: string[] = [];
  const instructions: string[] = [];
  for (const sentence of sentences) (looksLikeInstruction(sentence) ? instructions : said).push(sentence);
  return { said, instructions };
}

/** Whitespace-collapsed, lower-cased, straight-quoted: how quotes are compared with the transcript. */
export function normalizeForQuoteMatch(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u2033]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
