import { UNSTATED_CURRENCY, findMoneyMentions, impliedAmounts, type MoneyMention } from "@dealgraph/extraction";
import type { Statement } from "./statements";

/*
 * Which amounts of a conversation are the price of something being sold. People state many
 * other amounts on sales calls, and the CRM must not show any of them as the deal's value: what
 * the problem costs ("every hour of downtime costs us 18,000"), approval thresholds ("anything
 * above 150,000 goes to our CFO"), budgets and last year's spend, and competitors' bids. Each is
 * recognised by how it is framed in its own clause, whatever the industry.
 */

export type AmountRole = "price" | "pain" | "threshold" | "budget" | "competitor";

export interface PriceMention {
  statement: Statement;
  mention: MoneyMention;
  /** The amount the deal is worth by this mention: the stated one, or a unit price times the count, a monthly fee over a year. */
  value: number;
  currency: string;
}

const THRESHOLD_BEFORE =
  /\b(?:above|over|up to|more than|exceed(?:s|ing)?|under|below|beyond|greater than|upwards of|in excess of|threshold of|limit of|cap of|capex over|spend over|anything over|anything above)\s*(?:of\s+)?(?:about\s+|around\s+)?$/i;
const PAIN_BEFORE =
  /\b(?:costs? (?:us|them|the \w+)|cost (?:us|them)|costing (?:us|them)|we (?:lose|lost|waste|spend|spent|burn)|they (?:lose|lost|waste|spend|spent)|losing|lost|downtime|penalt\w+|fines?|write-?offs?|overtime|leakage|wasted?)\b[^.;]{0,40}$/i;
const PAIN_AFTER =
  /^[^.;]{0,30}\b(?:in lost|of lost|lost output|in downtime|in penalties|in fines|in overtime|in agency|on agency|of waste|wasted|a year in lost)\b|^[^.;]{0,50}\b(?:losses|lost to|write-?offs?|penalt\w+)\b/i;
const BUDGET_BEFORE =
  /\b(?:budget(?:ed)?(?: is| was| of| for)?|budget line|capex|opex|set aside|allocated|last year|we pay|we're paying|we are paying|currently pay|currently spend|spend today|paying today|they pay|incumbent|current (?:[\w-]+ ){0,2}(?:contract|vendor|supplier|provider|system|setup|line|tool|licen[cs]e|spend|deal)|renewal (?:is|was)|we spent|they spent|we paid|they paid|we did|we bought|previously|last time|in (?:19|20)\d\d)\b[^.;]{0,40}$/i;
const BUDGET_AFTER = /^[^.;]{0,25}\b(?:last year|in the budget|budget line|is (?:our|the) budget|a year today|(?:is|was) what we pay)\b/i;
const COMPETITOR =
  /\b(?:competitor\w*|another vendor|other vendor|the other bid|their (?:bid|price|quote|offer|number)|(?:bid|quoted|offered|came in|priced) (?:us )?(?:at|lower)|cheaper|undercut\w*|rival|for comparison|in comparison)\b/i;
/** "Legisync quoted us £78 per user": a named other party's price. */
const OTHER_PARTY_PRICE = /\b([A-Z][\w-]+)(?:'s)? (?:quoted|bid|offered|charges?|charged|priced|came in)\b[^.;]{0,25}$|\b([A-Z][\w-]+)['’]s\s*$/;
/** "The firm we use for surveys charges 30k": a supplier the buyer already pays. */
const OTHER_SUPPLIER =
  /\b(?:firm|vendor|supplier|provider|agency|company|contractor|incumbent|partner)\b[^.;]{0,50}\b(?:charges?|charged|bills?|costs?)\b[^.;]{0,20}$/i;

/** What an amount is, read from its own clause (the words since the last clause break). */
export function roleOf(statement: Statement, mention: MoneyMention, sellerNames: readonly string[] = []): AmountRole {
  const sentence = statement.sentence;
  const before =
    sentence
      .slice(0, mention.index)
      .split(/[;:]|,\s+(?:and|but|so|which|while)\s+|\.\s+/)
      .pop() ?? "";
  const after = sentence.slice(mention.index + mention.length).split(/[;]|\.\s+/)[0] ?? "";
  const near = before.slice(-60);
  // "budget approved ... up to 450,000 for the platform" is a budget; "anything over 250,000 needs legal" a threshold.
  if (/\bbudget\b/i.test(near) && !/\b(?:anything|any spend|needs|approval|sign-?off)\b/i.test(near)) return "budget";
  if (THRESHOLD_BEFORE.test(near)) return "threshold";
  if (PAIN_BEFORE.test(near) || PAIN_AFTER.test(after)) return "pain";
  if (BUDGET_BEFORE.test(near) || BUDGET_AFTER.test(after)) return "budget";
  if (COMPETITOR.test(before.slice(-80)) || COMPETITOR.test(after.slice(0, 40))) return "competitor";
  const other = OTHER_PARTY_PRICE.exec(near);
  const party = other?.[1] ?? other?.[2];
  if (
    party &&
    !/^(?:I|We|They|You|It|That|This|He|She|Year|Today|Month)$/.test(party) &&
    !sellerNames.some((n) => n.toLowerCase().includes(party.toLowerCase()))
  )
    return "competitor";
  if (OTHER_SUPPLIER.test(near) && !/\b(?:our|we)\s+(?:firm|company|team)\b/i.test(near)) return "competitor";
  return "price";
}

/** The conversation's currency: the one its stated amounts use most (bare "1.75 million" takes it). */
export function conversationCurrency(statements: readonly Statement[]): string {
  const counts = new Map<string, number>();
  for (const s of statements) {
    for (const m of findMoneyMentions(s.sentence)) {
      if (m.currency !== UNSTATED_CURRENCY) counts.set(m.currency, (counts.get(m.currency) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "USD";
}

/** `sellerNames`: the seller's organisation and people, whose own quotes are prices, not a rival's. */
export function priceMentions(statements: readonly Statement[], sellerNames: readonly string[] = []): PriceMention[] {
  const currency = conversationCurrency(statements);
  const found: PriceMention[] = [];
  for (const statement of statements) {
    const mentions = findMoneyMentions(statement.sentence);
    const implied = impliedAmounts(statement.sentence, mentions);
    for (const mention of mentions) {
      if (roleOf(statement, mention, sellerNames) !== "price") continue;
      // An hourly or per-unit rate without a count is not what the deal is worth.
      if (
        /^\s*(?:an?|per|each)\s+(?:hour|page|user|seat|device|unit|document|call|minute|transaction)\b/i.test(
          statement.sentence.slice(mention.index + mention.length),
        ) &&
        !implied.some((i) => i.from.index === mention.index)
      )
        continue;
      // A unit or monthly price is worth its yearly value: what the gold standard of a CRM field is.
      const annual = implied.find((i) => i.from.index === mention.index && i.basis === "annual");
      found.push({
        statement,
        mention,
        value: annual?.amount ?? mention.amount,
        currency: mention.currency === UNSTATED_CURRENCY ? currency : mention.currency,
      });
    }
  }
  return found;
}

/** Budgets the buyer has for what is being discussed ("budget approved, up to 450,000 dollars for the platform"). */
export function budgetMentions(statements: readonly Statement[], sellerNames: readonly string[] = []): PriceMention[] {
  const currency = conversationCurrency(statements);
  return statements.flatMap((statement) =>
    findMoneyMentions(statement.sentence)
      .filter(
        (mention) =>
          roleOf(statement, mention, sellerNames) === "budget" &&
          /\bbudget\b/i.test(statement.sentence) &&
          !/\b(?:last year|spent|we pay|we paid|current|today)\b/i.test(statement.sentence),
      )
      .map((mention) => ({ statement, mention, value: mention.amount, currency: mention.currency === UNSTATED_CURRENCY ? currency : mention.currency })),
  );
}
