import type { ActionItemExtraction, DealExtraction, DimensionScore, ExtractedDeal, Meddic, OntologyScores, QualificationEvidence } from "./extraction-schemas";
import { UNSTATED_CURRENCY, findMoneyMentions, impliedAmounts, type MoneyMention } from "./money";
import { normalizeForQuoteMatch, setAsideInstructions } from "./untrusted-text";
import { MEDDIC_FIELDS, ONTOLOGY_DIMENSIONS, QUALIFICATION_EXTRAS } from "./vocabulary";

/** Caps applied to every extraction, whichever provider produced it. */
export const EXTRACTION_LIMITS = {
  actionItems: 100,
  deals: 20,
  itemTextChars: 300,
  nameChars: 200,
  summaryChars: 1200,
  quoteChars: 600,
  shortTextChars: 120,
  evidenceTextChars: 600,
  reasoningChars: 2000,
} as const;

/** Amounts within this relative distance of a spoken amount count as that amount. */
const AMOUNT_TOLERANCE = 0.005;

export interface Guarded<T> {
  value: T;
  /** What was dropped or trimmed, by path, for the pipeline result and the logs. */
  warnings: string[];
}

/** The transcript as the guards see it, built once per interaction. */
export class TranscriptEvidence {
  private readonly normalized: string;
  /** Money said in the conversation; amounts inside instruction-like sentences do not count. */
  readonly money: MoneyMention[];
  /** Sentences that address a machine rather than the people on the call. */
  readonly instructionLike: string[];

  constructor(readonly text: string) {
    this.normalized = normalizeForQuoteMatch(text);
    const { said, instructions } = setAsideInstructions(text.split(/\n|(?<=[.!?])\s+/));
    this.instructionLike = instructions;
    // What was said, and what it implies (a unit price times the stated count, a monthly fee over a year).
    this.money = said.flatMap((sentence) => {
      const stated = findMoneyMentions(sentence);
      return [...stated, ...impliedAmounts(sentence, stated).map((implied) => ({ ...implied.from, amount: implied.amount, range: undefined }))];
    });
  }

  /** The warning a pipeline result carries when the transcript tried to instruct the model. */
  instructionWarning(): string[] {
    const count = this.instructionLike.length;
    return count === 0 ? [] : [`transcript: ${count} sentence(s) addressed to a machine were treated as data and ignored as evidence`];
  }

  contains(quote: string): boolean {
    const needle = normalizeForQuoteMatch(quote);
    return needle.length > 0 && this.normalized.includes(needle);
  }

  /** The spoken mention an extracted amount rests on, if any. */
  attest(amount: number, currency: string | null): MoneyMention | undefined {
    return this.money.find(
      (mention) =>
        (currency === null || mention.currency === currency || mention.currency === UNSTATED_CURRENCY) &&
        (Math.abs(mention.amount - amount) <= AMOUNT_TOLERANCE * mention.amount ||
          (mention.range !== undefined && amount >= mention.range[0] && amount <= mention.range[1])),
    );
  }

  /** A person's name occurs in the transcript (full name, or first name for a speaker list). */
  mentionsPerson(name: string): boolean {
    const first = name.trim().split(/\s+/)[0] ?? "";
    return this.contains(name) || (first.length > 1 && this.contains(first));
  }
}

function cap(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

function capOrNull(text: string | null, max: number): string | null {
  if (text === null) return null;
  const capped = cap(text, max);
  return capped === "" ? null : capped;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export function guardActionItems(extraction: ActionItemExtraction, evidence: TranscriptEvidence): Guarded<ActionItemExtraction> {
  const warnings: string[] = evidence.instructionWarning();
  if (extraction.action_items.length > EXTRACTION_LIMITS.actionItems) {
    warnings.push(`action_items: kept the first ${EXTRACTION_LIMITS.actionItems} of ${extraction.action_items.length}`);
  }
  const items = extraction.action_items.slice(0, EXTRACTION_LIMITS.actionItems).flatMap((item, index) => {
    const path = `action_items.${index}`;
    const text = cap(item.text, EXTRACTION_LIMITS.itemTextChars);
    if (text === "") {
      warnings.push(`${path}.text: empty; item dropped`);
      return [];
    }
    let quote = capOrNull(item.quote, EXTRACTION_LIMITS.quoteChars);
    if (quote !== null && !evidence.contains(quote)) {
      warnings.push(`${path}.quote: not in the transcript; removed`);
      quote = null;
    }
    let ownerName = capOrNull(item.owner_name, EXTRACTION_LIMITS.shortTextChars);
    if (ownerName !== null && !evidence.mentionsPerson(ownerName)) {
      warnings.push(`${path}.owner_name: not in the transcript; removed`);
      ownerName = null;
    }
    return [
      {
        text,
        owner_name: ownerName,
        owner_organization: capOrNull(item.owner_organization, EXTRACTION_LIMITS.shortTextChars),
        due_hint: capOrNull(item.due_hint, EXTRACTION_LIMITS.shortTextChars),
        status: item.status,
        topic: cap(item.topic, EXTRACTION_LIMITS.shortTextChars) || "General",
        confidence: clamp(item.confidence, 0, 1),
        quote,
      },
    ];
  });
  return { value: { action_items: items }, warnings };
}

function guardEvidence(entry: QualificationEvidence | null, path: string, evidence: TranscriptEvidence, warnings: string[]): QualificationEvidence | null {
  if (entry === null) return null;
  const quote = cap(entry.quote, EXTRACTION_LIMITS.quoteChars);
  const text = cap(entry.text, EXTRACTION_LIMITS.evidenceTextChars);
  if (text === "" || !evidence.contains(quote)) {
    // A value without words in the transcript to stand on is a guess; an empty field is better.
    warnings.push(`${path}: its quote is not in the transcript; left empty`);
    return null;
  }
  return { text, confidence: clamp(entry.confidence, 0, 1), quote };
}

function guardScore(score: DimensionScore, path: string, evidence: TranscriptEvidence, warnings: string[]): DimensionScore {
  if (score.score === null) return { score: null, confidence: 0, evidence: null };
  const quote = capOrNull(score.evidence, EXTRACTION_LIMITS.quoteChars);
  if (quote === null || !evidence.contains(quote)) {
    warnings.push(`${path}: its evidence is not in the transcript; left unscored`);
    return { score: null, confidence: 0, evidence: null };
  }
  return { score: clamp(score.score, 0, 3), confidence: clamp(score.confidence, 0, 1), evidence: quote };
}

function guardDeal(deal: ExtractedDeal, path: string, evidence: TranscriptEvidence, warnings: string[]): ExtractedDeal | null {
  const name = cap(deal.name, EXTRACTION_LIMITS.nameChars);
  if (name === "") {
    warnings.push(`${path}.name: empty; deal dropped`);
    return null;
  }
  let currency = deal.currency === null ? null : deal.currency.trim().toUpperCase();
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) {
    warnings.push(`${path}.currency: ${JSON.stringify(cap(currency, 12))} is not an ISO 4217 code; removed`);
    currency = null;
  }
  let amount = deal.amount;
  if (amount !== null) {
    const spoken = Number.isFinite(amount) && amount > 0 ? evidence.attest(amount, currency) : undefined;
    if (spoken === undefined) {
      warnings.push(`${path}.amount: ${amount} ${currency ?? ""} was not said in the conversation; left empty`.trim());
      amount = null;
      currency = null;
    } else if (spoken.currency !== UNSTATED_CURRENCY) {
      currency = spoken.currency;
    }
  }
  const meddic = Object.fromEntries(
    [...MEDDIC_FIELDS, ...QUALIFICATION_EXTRAS].map((field) => [field, guardEvidence(deal.meddic[field], `${path}.meddic.${field}`, evidence, warnings)]),
  ) as Meddic;
  const ontology = Object.fromEntries(
    ONTOLOGY_DIMENSIONS.map((dim) => [dim, guardScore(deal.ontology[dim], `${path}.ontology.${dim}`, evidence, warnings)]),
  ) as OntologyScores;
  return {
    name,
    summary: cap(deal.summary, EXTRACTION_LIMITS.summaryChars),
    stage: deal.stage,
    stage_evidence: capOrNull(deal.stage_evidence, EXTRACTION_LIMITS.quoteChars),
    amount,
    currency: amount === null ? null : currency,
    close_timeframe: capOrNull(deal.close_timeframe, EXTRACTION_LIMITS.shortTextChars),
    meddic,
    ontology,
    confidence: clamp(deal.confidence, 0, 1),
    reasoning: cap(deal.reasoning, EXTRACTION_LIMITS.reasoningChars),
  };
}

/**
 * Holds a deal extraction to the transcript: amounts must have been said (outside any sentence
 * that addresses the machine), quoted evidence must occur, lengths and counts are capped, and a
 * targeted envelope yields at most one deal (the most confident).
 */
export function guardDeals(extraction: DealExtraction, evidence: TranscriptEvidence, options: { targeted: boolean }): Guarded<DealExtraction> {
  const warnings: string[] = evidence.instructionWarning();
  let deals = extraction.deals;
  const limit = options.targeted ? 1 : EXTRACTION_LIMITS.deals;
  if (deals.length > limit) {
    warnings.push(
      options.targeted
        ? `deals: a targeted interaction updates one deal; kept the most confident of ${deals.length}`
        : `deals: kept the first ${limit} of ${deals.length}`,
    );
    deals = options.targeted ? [...deals].sort((a, b) => b.confidence - a.confidence).slice(0, 1) : deals.slice(0, limit);
  }
  const kept = deals.flatMap((deal, index) => guardDeal(deal, `deals.${index}`, evidence, warnings) ?? []);
  return { value: { deals: kept }, warnings };
}
