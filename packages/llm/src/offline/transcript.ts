import { findMoneyMentions, setAsideInstructions } from "@dealgraph/extraction";
import { escapeRegExp } from "./text-features";
import {
  looksLabelled,
  looksLikeEmailThread,
  looksLikeNotes,
  readEmailThread,
  readLabelledSpeakers,
  readNotes,
  type ReadConversation,
} from "./conversation-formats";

/*
 * Reads a conversation into utterances: `[00:01:05] Priya Shah (Skyline Cloud): text`, with the
 * timestamp and organisation optional, markdown bold names tolerated, and lines without a
 * speaker either continuing the previous utterance or, in plain notes, standing alone.
 */

export interface Utterance {
  index: number;
  at: string | null;
  speaker: string | null;
  organization: string | null;
  text: string;
  /** What the rules read: the sentences of `text` minus any that address a machine. */
  sentences: string[];
  /** Sentences that gave instructions to whoever reads the transcript; never evidence. */
  ignored: string[];
  /** From an older message quoted in an email thread. */
  quoted?: boolean;
}

/** What the reader learnt besides the turns: the format, people from headers and attendee lines. */
const READ_DETAILS = new WeakMap<readonly Utterance[], Omit<ReadConversation, "turns">>();

const SPEAKER_LINE =
  /^\s*(?:\[(\d{1,2}:\d{2}(?::\d{2})?)\]\s*)?\**([A-Z][\p{L}.'’-]*(?:\s+[A-Z][\p{L}.'’-]*){0,3})\**\s*(?:\(([^()]{1,80})\))?\s*\**\s*:\s*(.+)$/u;

/** Words that start a "Label: text" line without being a speaker. */
const NOT_SPEAKERS = new Set([
  "note",
  "notes",
  "summary",
  "agenda",
  "subject",
  "re",
  "from",
  "to",
  "cc",
  "date",
  "attendees",
  "update",
  "recap",
  "next steps",
  "action items",
  "follow-up",
  "follow up",
  "decision",
  "decisions",
  "todo",
  "to do",
  "fyi",
  "ps",
]);

const ABBREVIATIONS = /\b(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|inc|ltd|co|corp|approx|e\.g|i\.e|no)\.$/i;

/** Splits on sentence ends while keeping decimals ("1.2 million") and abbreviations together. */
export function splitSentences(text: string): string[] {
  const pieces = text.split(/(?<=[.!?])\s+(?=["'([]?[A-Z0-9])/);
  const sentences: string[] = [];
  for (const piece of pieces) {
    const previous = sentences[sentences.length - 1];
    if (previous !== undefined && ABBREVIATIONS.test(previous)) {
      sentences[sentences.length - 1] = `${previous} ${piece}`;
    } else {
      sentences.push(piece);
    }
  }
  return sentences.map((sentence) => sentence.trim()).filter((sentence) => sentence.length > 0);
}

/** A line without list bullets or quote marks in front. */
const cleanLine = (line: string) => line.replace(/^\s*[-*>]\s+/, "").trim();

/** A line that opens a speaker's turn, read into its parts; null for any other line. */
function speakerTurn(line: string): Omit<Utterance, "sentences" | "ignored" | "index"> | null {
  const match = SPEAKER_LINE.exec(line);
  const speaker = match?.[2]?.trim();
  if (!match || !speaker || NOT_SPEAKERS.has(speaker.toLowerCase())) return null;
  const said = (match[4] ?? "").replace(/^\*+\s*/, "").trim();
  return { at: match[1] ?? null, speaker, organization: match[3]?.trim() ?? null, text: said };
}

/** Turns opened by full names ("Oskar Lindqvist:"): the diarized reader keeps their organisations. */
function looksDiarizedWithNames(text: string): boolean {
  return (
    text.split(/\r?\n/).filter((line) => /^\s*(?:\[[\d:]+\]\s*)?\**[A-Z][\p{L}'’-]+\s+[A-Z][\p{L}'’-]+/u.test(line) && speakerTurn(cleanLine(line)) !== null)
      .length >= 2
  );
}

/** Whether any line of `text` opens a speaker's turn: a diarized transcript rather than a note. */
export function looksDiarized(text: string): boolean {
  return text.split(/\r?\n/).some((line) => speakerTurn(cleanLine(line)) !== null);
}

export function parseTranscript(text: string): Utterance[] {
  const read = looksLikeEmailThread(text)
    ? readEmailThread(text)
    : looksLikeNotes(text)
      ? readNotes(text)
      : looksLabelled(text) && !looksDiarizedWithNames(text)
        ? readLabelledSpeakers(text)
        : null;
  if (read) {
    const utterances = read.turns.map((turn, index) => {
      const { said, instructions } = setAsideInstructions(splitSentences(turn.text));
      return {
        index,
        at: turn.at,
        speaker: turn.speaker,
        organization: turn.organization,
        text: turn.text,
        sentences: said,
        ignored: instructions,
        quoted: turn.quoted,
      };
    });
    READ_DETAILS.set(utterances, { format: read.format, people: read.people, authorOrganization: read.authorOrganization });
    return utterances;
  }
  return parseDiarized(text);
}

function parseDiarized(text: string): Utterance[] {
  const utterances: Omit<Utterance, "sentences" | "ignored" | "index">[] = [];
  let continuing = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = cleanLine(rawLine);
    if (line === "") {
      continuing = false;
      continue;
    }
    const turn = speakerTurn(line);
    if (turn) {
      utterances.push(turn);
      continuing = true;
    } else if (continuing && utterances.length > 0) {
      const last = utterances[utterances.length - 1]!;
      last.text = `${last.text} ${line}`;
    } else {
      utterances.push({ at: null, speaker: null, organization: null, text: line });
      continuing = true;
    }
  }
  return utterances.map((u, index) => {
    const { said, instructions } = setAsideInstructions(splitSentences(u.text));
    return { ...u, index, sentences: said, ignored: instructions };
  });
}

export interface Person {
  name: string;
  organization: string | null;
  speaks: boolean;
  /** "CFO", "Head of Digital Services", when the conversation says. */
  role?: string | null;
}

/** Capitalised words that begin phrases without being first names. */
const NOT_FIRST_NAMES = new Set(
  (
    "The Our Your Their This That These Those A An And But So Our We I It If On In At For From To With Yes No Dear Hi Hello " +
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July " +
    "August September October November December North South East West Midwest Northeast Southeast Southwest " +
    "Northwest Central Great New Quick Thanks Thank Hi Hello Okay Sure Absolutely Perfect Great Good Also " +
    "Security Legal Finance Dispatch Pilot Premium Vendor Type Once Let Lastly Now Sales Support Data VP CFO CEO COO CTO CIO"
  ).split(" "),
);

const WORD = String.raw`[A-Z][a-z]+(?:[-'’]?[A-Z][a-z]+)?`;
const NAME_PAIR = new RegExp(String.raw`(?<![A-Z][\w.'’]*\s)\b(${WORD}) (${WORD})\b(?!\s(?:[A-Z][a-z]|[A-Z]{2,}))`, "g");
const ROLE_AFTER = /^,?\s*(?:\(([^)]{2,50})\)|(?:our|the|their|your|its)\s+((?:[\p{L}&]+\s?){1,6}?)(?=[,.;)]|\s(?:and|who|signs|is|has|was|will|at)\b))/u;
const PERSON_VERBS =
  /^(?:'s|’s|,?\s*(?:says|said|asked|told|will|would|wants|signs|signed|countersigned|approved|approves|owns|holds|controls|manages|decides|heads|joined|presented|agreed|mentioned|confirmed|is going|has|had|sent|thinks|needs|can|could|opened|pointed|floated|raised|came|took|runs|leads|reports|replied|wrote|called|explained|noted|added|suggested|shared|offered|promised))\b/;

/** The role written beside a name: "Fiona McAllister, the Section 151 officer" → "Section 151 officer". */
function roleAfter(text: string, at: number): string | null {
  const m = ROLE_AFTER.exec(text.slice(at, at + 80));
  return (m?.[1] ?? m?.[2])?.trim() ?? null;
}

/**
 * A capitalised pair names a person when the conversation treats it as one: a role beside it, a
 * verb people do after it, its first name used alone elsewhere, or a preposition people follow
 * ("with", "to", "from"). "Medical Center" and "Digital Services" get none of these.
 */
function soundsLikePerson(full: string, first: string, text: string, at: number): boolean {
  const after = text.slice(at + full.length, at + full.length + 40);
  if (roleAfter(text, at + full.length) !== null || PERSON_VERBS.test(after)) return true;
  // "sign-off sits with our COO, Renee Castillo": a role and a comma before the name.
  if (/\b(?:our|their|the|your|my)\s+(?:[\w&-]+\s){0,3}?[\w&-]+,\s*$/i.test(text.slice(Math.max(0, at - 50), at))) return true;
  const alone = new RegExp(String.raw`\b${first}\b(?!\s[A-Z])`, "g");
  if ([...text.matchAll(alone)].some((m) => m.index !== at)) return true;
  return (
    /\b(?:with|to|from|by|for|cc|and|asked|told|ask|call|email|copied)\s*$/i.test(text.slice(Math.max(0, at - 12), at)) &&
    PERSON_VERBS.test(after) === false &&
    /^[,.;:!?)]|^\s(?:and|who|about|on|before|after|today|tomorrow|next|this|last|so)\b/.test(after)
  );
}

/**
 * The people of one conversation: speakers with their organisations, and people only mentioned
 * by full name ("Our CFO, Raj Patel, signs"). Resolves first names and guesses the seller.
 */
export class Participants {
  readonly people: Person[] = [];
  readonly sellerOrganization: string | null;

  constructor(utterances: readonly Utterance[]) {
    const details = READ_DETAILS.get(utterances);
    for (const u of utterances) {
      if (u.speaker && !this.people.some((p) => p.name === u.speaker)) {
        this.people.push({ name: u.speaker, organization: u.organization, speaks: true });
      }
    }
    for (const known of details?.people ?? []) {
      const person = this.people.find((p) => p.name === known.name);
      if (person) {
        person.organization ??= known.organization;
        person.role ??= known.role;
      } else {
        this.people.push({ name: known.name, organization: known.organization, speaks: false, role: known.role });
      }
    }
    const organizations = new Set(this.people.map((p) => p.organization).filter((o): o is string => o !== null));
    // Titles go first, so "Professor Miriam Ellery" reads as the name it holds.
    const said = utterances
      .map((u) => u.sentences.join(" "))
      .join(" ")
      .replace(/\b(?:Professor|Prof\.|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sir|Dame)\s+(?=[A-Z])/g, "");
    for (const m of said.matchAll(NAME_PAIR)) {
      const [full, first = "", last = ""] = [m[0], m[1], m[2]];
      // "Palisade Cloud" beside "Palisade Systems" is the vendor's product, not a person.
      if (NOT_FIRST_NAMES.has(first) || NOT_FIRST_NAMES.has(last) || [...organizations].some((org) => org.includes(full) || org.split(/\s+/)[0] === first))
        continue;
      if (this.people.some((p) => p.name === full) || !soundsLikePerson(full, first, said, m.index)) continue;
      this.people.push({ name: full, organization: null, speaks: false, role: roleAfter(said, m.index + full.length) });
    }
    this.learnRoles(said, utterances);
    this.format = details?.format ?? "diarized";
    // Call notes are the seller's own record: their author's side sells.
    this.sellerOrganization = details?.authorOrganization ?? guessSeller(utterances, (u) => u.organization);
    const sellerSpeaker = guessSeller(utterances, (u) => u.speaker);
    // In notes the author sells; otherwise whoever prices, with the colleagues they speak for ("our engineer").
    this.sellerSpeakers = new Set(details?.format === "notes" ? [] : sellerSpeaker ? [sellerSpeaker] : []);
    for (const known of details?.people ?? []) {
      if (known.side === "seller" && this.sellerOrganization) {
        const person = this.people.find((p) => p.name === known.name);
        if (person) person.organization ??= this.sellerOrganization;
      }
    }
  }

  readonly format: ReadConversation["format"] | "diarized";

  /**
   * Roles people give themselves or others: "I'm Victoria Hale, chief operating officer",
   * "Lorraine is your CFO?", "Wendy, our CFO, will join", "Adaeze Nwosu, director of nursing at...".
   */
  private learnRoles(said: string, utterances: readonly Utterance[]): void {
    const ROLE = String.raw`((?:(?:VP|SVP|EVP|CFO|CEO|COO|CTO|CIO|CMO|CRO|CISO|[A-Za-z][a-z&-]*)\s?){1,6}?)`;
    const END = String.raw`(?=[,.;!?)]|\s(?:at|here|and|who|for|joined|will|is|has|signs|over)\b|$)`;
    const setRole = (name: string, role: string) => {
      const person = this.resolve(name);
      const clean = role.trim().replace(/^(?:the|our|your|their|a|an)\s+/i, "");
      if (
        person &&
        !person.role &&
        clean.length > 1 &&
        /\b(?:vp|svp|evp|cfo|ceo|coo|cto|cio|cmo|cro|ciso|chief|head|director|manager|lead|officer|president|owner|founder|partner|counsel|engineer|analyst|administrator|superintendent|provost|treasurer|controller|buyer|procurement|purchasing|finance|operations|it)\b/i.test(
          clean,
        )
      ) {
        person.role = clean;
      }
    };
    for (const m of said.matchAll(new RegExp(String.raw`\b(?:I'm|I am)\s+([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?),\s+(?:the\s+)?${ROLE}${END}`, "g")))
      setRole(m[1]!, m[2]!);
    for (const m of said.matchAll(new RegExp(String.raw`\b([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?),?\s+(?:is|'s)\s+(?:our|your|their|the)\s+${ROLE}${END}`, "g")))
      setRole(m[1]!, m[2]!);
    for (const m of said.matchAll(new RegExp(String.raw`\b(?:[Oo]ur|[Yy]our|[Tt]heir|[Tt]he)\s+${ROLE},\s+([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)`, "g")))
      setRole(m[2]!, m[1]!);
    for (const u of utterances) {
      const intro = u.speaker
        ? new RegExp(String.raw`^(?:[A-Z][\w'’-]+\s[A-Z][\w'’-]+|I'm [A-Z][\w'’-]+)(?:,|\s-)\s+${ROLE}${END}`).exec(
            u.sentences.slice(0, 3).find((x) => x.includes(",")) ?? "",
          )
        : null;
      // Only an introduction of the speaker: "Gareth Lowe, our Director of Finance, ..." said by someone else is about Gareth.
      const introduced = intro?.[0].startsWith("I'm") || (u.speaker !== null && intro?.[0].toLowerCase().startsWith(u.speaker.toLowerCase()));
      if (intro && u.speaker && introduced) setRole(u.speaker, intro[1]!);
      const runs = u.speaker ? /\bI (?:run|head|lead|own)\s+((?:[a-z]+\s?){1,3}?)(?=\s(?:at|for|here)\b|[,.]|$)/.exec(u.sentences.join(" ")) : null;
      if (runs && u.speaker) setRole(u.speaker, `head of ${runs[1]!.trim()}`);
    }
  }

  /** "Sam" → "Sam Okafor"; a full name as is; null when nobody of that name took part. */
  resolve(name: string): Person | null {
    const wanted = name.trim().toLowerCase();
    return (
      this.people.find((p) => p.name.toLowerCase() === wanted) ??
      this.people.find((p) => p.name.toLowerCase().split(/\s+/)[0] === wanted) ??
      // "Sato will propose...": a surname on its own, when only one person has it.
      (this.people.filter((p) => p.name.toLowerCase().split(/\s+/).slice(1).includes(wanted)).length === 1
        ? this.people.find((p) => p.name.toLowerCase().split(/\s+/).slice(1).includes(wanted))
        : undefined) ??
      null
    );
  }

  /** Who a turn speaks to: the last speaker before it (`earlierSpeakers`, in order) from the other side. */
  addressee(speaker: string | null, earlierSpeakers: ReadonlyArray<string | null>): string | null {
    for (let at = earlierSpeakers.length - 1; at >= 0; at -= 1) {
      const earlier = earlierSpeakers[at];
      if (earlier && earlier !== speaker && this.isSeller(earlier) !== this.isSeller(speaker)) return earlier;
    }
    return null;
  }

  /** The person whose name (full or first) occurs last in `text`, among those `eligible` admits. */
  lastNamedIn(text: string, eligible: (person: Person) => boolean = () => true): Person | null {
    let best: { person: Person; at: number } | null = null;
    for (const person of this.people.filter(eligible)) {
      const first = person.name.split(/\s+/)[0] ?? person.name;
      for (const hit of text.matchAll(new RegExp(`\\b(?:${escapeRegExp(person.name)}|${escapeRegExp(first)})\\b`, "g"))) {
        if (best === null || (hit.index ?? 0) > best.at) best = { person, at: hit.index ?? 0 };
      }
    }
    return best?.person ?? null;
  }

  organizationOf(name: string): string | null {
    return this.resolve(name)?.organization ?? null;
  }

  isSeller(name: string | null): boolean {
    if (name === null) return false;
    const organization = this.organizationOf(name);
    if (this.sellerOrganization !== null && organization !== null) return organization === this.sellerOrganization;
    // Turns without organisations ("Clive Rowntree: ..."): the people who state prices and pitch sell.
    return this.sellerSpeakers.has(this.resolve(name)?.name ?? name);
  }

  /** Sides by speaker, for conversations whose turns carry no organisation. */
  readonly sellerSpeakers: ReadonlySet<string>;

  /** The buyer's organisation: the most frequent non-seller organisation among speakers. */
  buyerOrganization(utterances: readonly Utterance[]): string | null {
    const counts = new Map<string, number>();
    for (const u of utterances) {
      if (u.organization && u.organization !== this.sellerOrganization) {
        counts.set(u.organization, (counts.get(u.organization) ?? 0) + 1);
      }
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }
}

/**
 * The seller is whoever quotes prices and says "our <offering>"; the opening speaker (usually the
 * host, usually the rep) breaks ties.
 */
function guessSeller(utterances: readonly Utterance[], sideOf: (u: Utterance) => string | null): string | null {
  const score = new Map<string, number>();
  const bump = (org: string | null, by: number) => {
    if (org) score.set(org, (score.get(org) ?? 0) + by);
  };
  // The first organisation to speak usually hosts the call (and sells); a first speaker alone says nothing.
  if (utterances.some((u) => u.organization !== null && sideOf(u) === u.organization)) bump(utterances.map(sideOf).find((side) => side !== null) ?? null, 1);
  for (const u of utterances) {
    const side = sideOf(u);
    for (const sentence of u.sentences) {
      const money = findMoneyMentions(sentence).length > 0;
      // The side that says what things cost sells; the side that reacts to a price, or speaks of its budget, buys.
      if (
        money &&
        /\b(you quoted|your (?:price|quote|proposal|number)|our budget|(?:the|my|this year's) budget (?:is|was|for|of)|we (?:pay|spend|spent|lose|lost)|costs? (?:us|them)|hoped for|we can't go above|needs? (?:board )?approval|anything (?:over|above))\b/i.test(
          sentence,
        )
      )
        bump(side, -2);
      // A figure with nothing about the speaker's own costs or budget leans to the side that sells.
      else if (
        money &&
        !/\b(?:we|our|us)\b/i.test(sentence.replace(/\bour (?:price|quote|proposal|fee)\b/gi, "")) &&
        !/\b(?:would be|will be|comes? to|came to|priced at)\b/i.test(sentence)
      )
        bump(side, 1);
      else if (
        money &&
        /\b(would be|will be|comes? to|came to|priced at|is about|it's about|we charge|we'd charge|i quoted|we quoted|our (?:price|quote|proposal|fee)|per (?:year|month|seat|user|device|page)|a (?:year|month)|fixed fee|on top|indicative price|the formal number|you'?re looking at|you'?d be|it'?d be|would come to|we can do)\b/i.test(
          sentence,
        )
      )
        bump(side, 2);
      if (/\bour (\w+ ){0,3}(platform|plan|product|subscription|solution|offering|connector|support|service|module|team will|proposal)\b/i.test(sentence))
        bump(side, 1);
    }
  }
  const [best] = [...score.entries()].sort((a, b) => b[1] - a[1]);
  // One side heard and nothing priced: nothing says it sells.
  const sides = new Set(utterances.map(sideOf).filter((side) => side !== null));
  if (!best || (sides.size < 2 && best[1] <= 1)) return null;
  return best[0];
}

/**
 * What kind of interaction a bare text is, for texts that arrive without an envelope (a file
 * given to `extract`, a labelled set): email headers or quoting make an email, speaker turns a
 * transcript, anything else a note.
 */
export function interactionTypeOf(text: string): "email" | "transcript" | "note" {
  if (/^\s*(?:from|subject|sent|to):\s+\S/im.test(text) || /^>\s?\S/m.test(text)) return "email";
  return looksDiarized(text) ? "transcript" : "note";
}
