import { findMoneyMentions, type QualificationEvidence } from "@dealgraph/extraction";
import { escapeRegExp } from "../text-features";
import type { Participants } from "../transcript";
import type { Statement } from "./statements";

/*
 * The economic buyer and the champion, from how people talk about money and about pushing a
 * purchase. The economic buyer is who signs or owns the budget ("sign-off sits with her",
 * "anything above CHF 25,000 needs approval from our COO, Matthias Roth", "Nadia signs off any
 * capex over $250k"); the champion is the buyer-side person who pushes for it internally ("I've
 * been pushing for this since...", "Rhodri is clearly our champion"). A seller is never either.
 */

const P = "\u0000"; // where the person's name sits in a pattern

const TITLE = "(?:(?:professor|prof\\.?|dr\\.?|mr\\.?|ms\\.?|mrs\\.?) )?";
/** How people say they push a purchase: idioms a sentence model of this size does not read as advocacy. */
const ADVOCACY = String.raw`(?:(?:been |keep |kept |keeps )?(?:banging|beating) the drum|(?:going|gone|went|go) to bat|(?:been )?trying to get (?:this|it)(?: [\w-]+){0,3} (?:funded|approved|signed off|through|over the line)|(?:one who )?put (?:this|it|the [\w -]{2,40}) on the (?:roadmap|agenda)|(?:keep|kept|been) (?:raising|bringing up|asking for) (?:this|it))`;
const SELF_CHAMPION_IDIOM = new RegExp(String.raw`\b(?:I|I've|I have|I'm|I am|I'll)\b[^.;]{0,30}?\b${ADVOCACY}`, "i");

const BUYER_PATTERNS = [
  `(?:needs|need|requires) (?:our |their |the )?(?:[\\w ]{0,30}, )?${P}`,
  `${P}(?:'s|’s) (?:decision|call|budget|sign-?off|signature)`,
  `(?:decision|call|budget|money) (?:is|was|will be) ${P}(?:'s|’s)`,
  `${P}(?:,[^,]{1,40},)? (?:controls|owns|holds|has|manages|runs) (?:the |our |their |his |her )?(?:[\\w-]+ ){0,2}budget`,
  `budget (?:belongs to|is with|sits with|is owned by|is held by) (?:our |their |the )?${TITLE}${P}`,
  `${P} owns (?:this|it|the decision|the deal|this one)`,
  `${P}(?:,[^,]{1,40},)? (?:will|would|can|could|has to|needs to|must|is going to) (?:have to |need to )?(?:approve|sign)`,
  `${P}, who (?:signs|approves|owns|holds|controls|has the final)`,
  `${P}(?:,[^,]{1,40},)? (?:signs|will sign|would sign|has to sign|needs to sign|signed|countersigned|signs off|signed off|will sign off|has sign-?off|has the final (?:say|sign-?off|word)|owns the budget|holds the budget|controls the budget|has the budget|approves|approved|approves the (?:budget|spend)|has frozen|froze|makes the call|decides|has budget authority|is the budget holder|is the one (?:who )?(?:signs|signing|approves))`,
  `(?:sign-?off|signature|approval|the budget|budget sign-?off|final say|final sign-?off|the decision) (?:sits|is|rests|lies|stays) with (?:our |their |the )?(?:[\\w ]{0,30}, )?${P}`,
  `(?:approval|sign-?off|signature) (?:from|of|by) (?:our |their |the )?(?:[\\w ]{0,30}, )?${P}`,
  `(?:goes|go|has to go|needs to go|would go|will go) (?:up )?to (?:our |their |the )?(?:[\\w ]{0,30}, )?${P}`,
  `${P}(?:,[^,]{1,40},)? (?:is|'s|would be|will be) (?:effectively |really |clearly |the |our |their )*(?:economic buyer|budget holder|budget owner|signatory|decision maker|one (?:who )?(?:signs|signing))`,
  `(?:needs|requires|need) ${P}(?:'s|’s)? (?:approval|sign-?off|signature)`,
  `budget (?:owner|holder) (?:is|was) (?:our |their |the )?(?:[\\w ]{0,30}, )?${P}`,
];
const CHAMPION_PATTERNS = [
  `${P} (?:made|has made|is making) the case`,
  `${P}(?:,[^,]{1,40},)? (?:has been|is|'s been|was|had been|'s|will keep|keeps|is still) (?:pushing|championing|arguing|making the case|lobbying|advocating|driving this|selling (?:it|this) internally|fighting for)`,
  `${P}(?:,[^,]{1,40},)? (?:is|'s|was) (?:clearly |definitely |really |very much |effectively )?(?:our|the|their) (?:internal )?(?:champion|sponsor|advocate|coach)`,
  `${P}(?:,[^,]{1,40},)? (?:will|'ll|would|wants to|is going to|said (?:she|he)'ll|told us (?:she|he)'ll(?: keep)?) (?:champion|push for|sponsor|advocate for|sell it internally|keep championing|keep pushing)`,
  `${P} (?:pushed|championed|argued|lobbied) for`,
  `${P}(?:,[^,]{1,40},)? (?:has |had |is |'s |was )?${ADVOCACY}`,
];
const SELF_CHAMPION =
  /\bI(?:'ll| will) be the one (?:pushing|championing|driving|arguing)|\bI(?:'ve| have|'m| am| had)? (?:been )?(?:pushing|arguing|championing|sponsoring|making the case|lobbying|advocating|fighting) (?:for|this|it|internally|with)|\bI(?:'ll| will) (?:champion|push for|sponsor|sell (?:it|this) internally|keep (?:pushing|championing))|\bI(?:'m| am) (?:the one )?(?:driving|championing|pushing|sponsoring)(?: for)? (?:this|it)|\bI(?:'m| am) (?:your|the) (?:internal )?champion\b/i;
/** "Thanks for championing it as hard as you did": the one addressed pushed for it. */
const THANKED_CHAMPION = /\b(?:for|thanks for|thank you for) (?:championing|pushing for|fighting for|sponsoring|backing) (?:it|this|us)\b/i;
const SELF_BUYER =
  /\bI(?:'ll| will)? (?:sign|approve)(?: off)? (?:it|this|the)\b|\b(?:is|it's|that's) mine(?: to sign)?\b|\bbefore I sign\b|\bI(?:'ll| will)? decide\b|\b(?:that's|it's|this is) my budget\b|\bI(?:'m| am) (?:comfortable|happy|ready|prepared) (?:signing|to sign)\b|\bI signed (?:it )?off\b|\b(?:this|that|it) is my (?:call|decision)\b|\bmy call\b|\b(?:it'?s|it is) my budget\b|\bI (?:own|hold|control) the budget\b|\bthe budget is mine\b|\bI(?:'m| am) the one (?:who )?(?:signs|signing|approves)\b|\bI (?:can|could) (?:approve|sign(?: off)?)(?: (?:it|this|that|this one|that one))? myself\b|\b(?:inside|within|out of|from) my (?:own )?(?:[\w-]+ )?budget\b/i;

const PRONOUN = "(?:she|he|her|him)";

interface Found {
  person: string;
  statement: Statement;
}

/** People a statement may name, full names first; "she"/"her" is the last person named before it. */
function nameAlternatives(participants: Participants): Array<{ person: string; needle: string; pattern: string }> {
  return participants.people.flatMap((p) => {
    const first = p.name.split(/\s+/)[0] ?? p.name;
    // Full names are tried first, so a first name alone only stands in when no full name matched
    // (the patterns are case-insensitive, so no look-ahead for a capitalised surname would work).
    return [
      { person: p.name, needle: p.name.toLowerCase(), pattern: escapeRegExp(p.name) },
      ...(first.length > 2 && first !== p.name ? [{ person: p.name, needle: first.toLowerCase(), pattern: escapeRegExp(first) }] : []),
    ];
  });
}

/** "Sign-off sits with her": the last buyer-side person named in the statements just before, or earlier in this one. */
function lastNamedBefore(statements: readonly Statement[], at: number, participants: Participants, within: string): string | null {
  const text = [...statements.slice(Math.max(0, at - 3), at).map((s) => s.sentence), within].join(" ");
  return participants.lastNamedIn(text, (p) => !participants.isSeller(p.name))?.name ?? null;
}

interface CompiledPattern {
  /** `needle` is the name as it must appear in a sentence for the pattern to have a chance. */
  named: Array<{ person: string; needle: string; pattern: RegExp }>;
  pronoun: RegExp;
}

/** Each pattern with each person's name in it, compiled once per conversation (a long call has many statements and deals). */
const compiledFor = new WeakMap<Participants, Map<readonly string[], CompiledPattern[]>>();
function compiled(patterns: readonly string[], participants: Participants): CompiledPattern[] {
  let byPatterns = compiledFor.get(participants);
  if (!byPatterns) compiledFor.set(participants, (byPatterns = new Map()));
  let found = byPatterns.get(patterns);
  if (!found) {
    const names = nameAlternatives(participants).filter(({ person }) => !participants.isSeller(person));
    found = patterns.map((template) => ({
      named: names.map(({ person, needle, pattern }) => ({ person, needle, pattern: new RegExp(`\\b${template.replace(P, `(?:${pattern})`)}`, "i") })),
      pronoun: new RegExp(`\\b${template.replace(P, PRONOUN)}`, "i"),
    }));
    byPatterns.set(patterns, found);
  }
  return found;
}

function findPerson(patterns: readonly string[], scope: readonly Statement[], all: readonly Statement[], participants: Participants): Found | null {
  const templates = compiled(patterns, participants);
  for (const statement of scope) {
    const sentence = statement.sentence.replace(/[’‘]/g, "'");
    const lower = sentence.toLowerCase();
    const mentionsPronoun = /\b(?:she|he|her|him)\b/.test(lower);
    for (const template of templates) {
      const named = template.named.find(({ needle, pattern }) => lower.includes(needle) && pattern.test(sentence));
      if (named) return { person: named.person, statement };
      const pronoun = mentionsPronoun ? template.pronoun.exec(sentence) : null;
      if (pronoun) {
        const person = lastNamedBefore(all, statement.at, participants, sentence.slice(0, pronoun.index));
        if (person) return { person, statement };
      }
    }
  }
  return null;
}

/** Who a statement speaks to: the last other-side speaker before it. */
function addresseeOf(statement: Statement, all: readonly Statement[], participants: Participants): string | null {
  const earlierSpeakers = all.slice(0, statement.at).map((s) => s.speaker);
  return participants.addressee(statement.speaker, earlierSpeakers);
}

function withRole(person: string, participants: Participants): string {
  const role = participants.people.find((p) => p.name === person)?.role;
  return role ? `${person} (${role})` : person;
}

const ABOVE = /\b(?:over|above|more than|exceed(?:s|ing)?|in excess of|beyond|upwards of|greater than)\s*$/i;
const BELOW = /\b(?:up to|under|below|less than|within|no more than)\s*$/i;
/** "250,000", "250.000", "250k": a bare figure after a threshold word, which the money reader leaves alone without a currency. */
const BARE_FIGURE = /\b(\d{1,3}(?:[,.]\d{3})+|\d+(?:\.\d+)?\s?(?:k|m|million|thousand)\b)/gi;

function figures(sentence: string): Array<{ amount: number; index: number }> {
  const found = findMoneyMentions(sentence).map((m) => ({ amount: m.amount, index: m.index }));
  for (const m of sentence.matchAll(BARE_FIGURE)) {
    if (found.some((f) => Math.abs(f.index - m.index) < 3)) continue;
    const [digits = "", unit = ""] = m[1]!.toLowerCase().split(/(?<=\d)\s?(?=[a-z])/);
    const base = unit ? Number.parseFloat(digits) : Number.parseInt(digits.replace(/[,.]/g, ""), 10);
    const scale = unit.startsWith("k") || unit === "thousand" ? 1e3 : unit.startsWith("m") ? 1e6 : 1;
    if (Number.isFinite(base)) found.push({ amount: base * scale, index: m.index });
  }
  return found;
}

/**
 * "Anything over 250,000 needs our CFO" names who signs deals above that figure, not a 62,000
 * module; "he can sign up to $100k himself" names who signs those below it.
 */
function boundsOf(sentence: string): Array<{ figure: number; above: boolean }> {
  return figures(sentence).flatMap(({ amount: figure, index }): Array<{ figure: number; above: boolean }> => {
    const before = sentence.slice(Math.max(0, index - 25), index).replace(/(?:[$€£¥]|\b(?:USD|EUR|GBP|CHF|AUD|CAD)\s?)$/i, "");
    return ABOVE.test(before) ? [{ figure, above: true }] : BELOW.test(before) ? [{ figure, above: false }] : [];
  });
}

function appliesToAmount(sentence: string, amount: number | null): boolean {
  return amount === null || boundsOf(sentence).every(({ figure, above }) => (above ? amount >= figure : amount <= figure));
}

/** A threshold is a rule for the whole account: wherever it was said, it names who signs every deal it covers. */
function thresholdRulesFor(all: readonly Statement[], amount: number | null): Statement[] {
  return amount === null ? [] : all.filter((s) => boundsOf(s.sentence).length > 0 && appliesToAmount(s.sentence, amount));
}

export function economicBuyerOf(
  candidates: readonly Statement[],
  all: readonly Statement[],
  participants: Participants,
  amount: number | null = null,
): QualificationEvidence | null {
  const scope = candidates.filter((s) => appliesToAmount(s.sentence, amount));
  const named = findPerson(BUYER_PATTERNS, scope, all, participants);
  if (named) return { text: withRole(named.person, participants), confidence: 0.8, quote: named.statement.sentence };
  const isSelfBuyer = (s: Statement) =>
    s.seller !== true && s.speaker !== null && !participants.isSeller(s.speaker) && SELF_BUYER.test(s.sentence.replace(/[’‘]/g, "'"));
  const self = scope.find(isSelfBuyer);
  if (self?.speaker) return { text: withRole(self.speaker, participants), confidence: 0.7, quote: self.sentence };
  const rules = thresholdRulesFor(all, amount);
  const byThreshold = findPerson(BUYER_PATTERNS, rules, all, participants);
  if (byThreshold) return { text: withRole(byThreshold.person, participants), confidence: 0.75, quote: byThreshold.statement.sentence };
  // "Anything over 300k a year is mine to sign."
  const selfByThreshold = rules.find(isSelfBuyer);
  if (selfByThreshold?.speaker) return { text: withRole(selfByThreshold.speaker, participants), confidence: 0.7, quote: selfByThreshold.sentence };
  return byRole(scope, participants);
}

/** Nobody said who signs: a buyer-side executive or finance head named in the deal's stretch is the likeliest. */
const BUDGET_ROLES =
  /\b(?:cfo|ceo|coo|chief (?:\w+ )?officer|finance director|director of finance|vp,? finance|vp of finance|head of finance|finance lead|managing director|owner|founder|president|superintendent|provost|treasurer)\b/i;
function byRole(scope: readonly Statement[], participants: Participants): QualificationEvidence | null {
  const ranked = participants.people.filter((p) => p.role && BUDGET_ROLES.test(p.role));
  for (const person of ranked) {
    if (!person.role || participants.isSeller(person.name)) continue;
    const first = person.name.split(/\s+/)[0] ?? person.name;
    const said = scope.find((s) => s.speaker === person.name || new RegExp(`\\b${escapeRegExp(first)}\\b`).test(s.sentence));
    if (said) return { text: `${person.name} (${person.role})`, confidence: 0.5, quote: said.sentence };
  }
  return null;
}

export function championOf(scope: readonly Statement[], all: readonly Statement[], participants: Participants): QualificationEvidence | null {
  const self = scope.find(
    (s) =>
      s.seller !== true &&
      s.speaker &&
      !participants.isSeller(s.speaker) &&
      (SELF_CHAMPION.test(s.sentence.replace(/[’‘]/g, "'")) || SELF_CHAMPION_IDIOM.test(s.sentence.replace(/[’‘]/g, "'"))) &&
      !/\?$/.test(s.sentence),
  );
  const named = findPerson(CHAMPION_PATTERNS, scope, all, participants);
  const thanked = scope.find((s) => THANKED_CHAMPION.test(s.sentence) && s.speaker !== null);
  const addressee = thanked ? addresseeOf(thanked, all, participants) : null;
  const pick =
    self && (!named || self.at <= named.statement.at)
      ? { person: self.speaker!, statement: self }
      : (named ?? (thanked && addressee ? { person: addressee, statement: thanked } : null));
  return pick ? { text: withRole(pick.person, participants), confidence: 0.75, quote: pick.statement.sentence } : null;
}
