/*
 * The shapes a conversation arrives in besides "Name (Org): text" lines, each read into turns
 * with a speaker: pasted email threads (one turn per message body, oldest first, the sender
 * from its From: header), calls diarized only as "Speaker 1:" / "spk_0:" with the names said in
 * the talk ("this is Colm Brennan from Rotaweave"), and call notes written by one person
 * ("Written by: Harriet Quayle (Orrin Digital)"), whose prose lines are the author's.
 */

export interface Turn {
  at: string | null;
  speaker: string | null;
  organization: string | null;
  text: string;
  /** From an older message quoted in an email thread. */
  quoted: boolean;
}

export interface ReadConversation {
  turns: Turn[];
  format: "email" | "labelled" | "notes";
  /** The notes' author, or the people named in email headers and attendee lines, with what is known of them. */
  people: Array<{ name: string; organization: string | null; role: string | null; side: "seller" | "buyer" | null }>;
  /** The organisation that wrote the notes (the seller's, by convention of call notes). */
  authorOrganization: string | null;
}

const titleCase = (text: string) => text.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase());

/** "clearwatch-compliance.com" → "Clearwatch Compliance". */
function organizationOfAddress(address: string): string | null {
  const domain = /@([\w.-]+)/.exec(address)?.[1];
  if (!domain) return null;
  const parts = domain.toLowerCase().split(".");
  const name = parts.length > 2 && parts[parts.length - 2]!.length <= 3 ? parts[parts.length - 3] : parts[parts.length - 2];
  return name ? titleCase(name.replace(/[-_]/g, " ")) : null;
}

// --- email threads ----------------------------------------------------------------------

const HEADER = /^(from|to|cc|bcc|subject|date|sent|reply-to)\s*:\s*(.*)$/i;
const SALUTATION =
  /^(?:(?:[Dd]ear|[Hh]i|[Hh]ello|[Hh]ey|[Mm]orning|[Gg]ood (?:morning|afternoon))\b[^.!?]{0,60}|\p{Lu}[\p{L}'-]+(?:,\s*\p{Lu}[\p{L}'-]+)*(?:\s+and\s+\p{Lu}[\p{L}'-]+)?),?$/u;
const SIGN_OFF =
  /^(?:(?:kind|best|warm|many)?\s*(?:regards|wishes|thanks|cheers)|best|thanks(?: again)?|thank you|sincerely|cheers|talk soon|speak soon|all the best)[,!.]?$/i;

export function looksLikeEmailThread(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^[>\s]+/, ""));
  return lines.filter((l) => /^from\s*:\s*\S/i.test(l)).length >= 1 && lines.some((l) => /^(subject|to|date|sent)\s*:/i.test(l));
}

function senderOf(from: string): { name: string | null; organization: string | null } {
  const named = /^\s*"?([^"<]+?)"?\s*<([^>]+)>/.exec(from);
  if (named) return { name: named[1]!.trim(), organization: organizationOfAddress(named[2]!) };
  const address = /([\w.+-]+)@[\w.-]+/.exec(from);
  if (address) return { name: titleCase(address[1]!.replace(/[._]/g, " ")), organization: organizationOfAddress(from) };
  return { name: from.trim() || null, organization: null };
}

export function readEmailThread(text: string): ReadConversation {
  interface Message {
    depth: number;
    from: string;
    date: string | null;
    lines: string[];
    recipients: string[];
  }
  const messages: Message[] = [];
  let current: Message | null = null;
  let inHeaders = false;
  for (const raw of text.split(/\r?\n/)) {
    const depth = /^(\s*>)*/.exec(raw)?.[0].replace(/[^>]/g, "").length ?? 0;
    const line = raw.replace(/^(\s*>)+\s?/, "").trim();
    const header = HEADER.exec(line);
    if (header && /^from$/i.test(header[1]!)) {
      current = { depth, from: header[2]!, date: null, lines: [], recipients: [] };
      messages.push(current);
      inHeaders = true;
      continue;
    }
    if (current === null) {
      current = { depth, from: "", date: null, lines: [], recipients: [] };
      messages.push(current);
    }
    if (inHeaders && header) {
      if (/^(date|sent)$/i.test(header[1]!)) current.date = header[2]!.trim();
      if (/^(to|cc)$/i.test(header[1]!)) current.recipients.push(...header[2]!.split(/[;,](?![^<]*>)/));
      continue;
    }
    inHeaders = false;
    current.lines.push(line);
  }
  const people: ReadConversation["people"] = [];
  const addPerson = (name: string | null, organization: string | null) => {
    if (!name) return;
    const known = people.find((p) => p.name === name);
    // A quoted header often drops the address; a later one may carry it.
    if (known) known.organization ??= organization;
    else people.push({ name, organization, role: null, side: null });
  };
  // Oldest first: the deepest quote was written first.
  const ordered = messages
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.depth - a.m.depth || b.i - a.i)
    .map((x) => x.m);
  const turns: Turn[] = [];
  for (const message of ordered) {
    const sender = senderOf(message.from);
    addPerson(sender.name, sender.organization);
    for (const recipient of message.recipients) {
      const r = senderOf(recipient);
      addPerson(r.name, r.organization);
    }
    for (const paragraph of paragraphsOf(message.lines)) {
      turns.push({ at: message.date, speaker: sender.name, organization: sender.organization, text: paragraph, quoted: message.depth > 0 });
    }
  }
  return { turns, format: "email", people, authorOrganization: null };
}

/** Body paragraphs without the salutation, the sign-off and the signature below it. */
function paragraphsOf(lines: readonly string[]): string[] {
  const paragraphs: string[] = [];
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length > 0) paragraphs.push(buffer.join(" "));
    buffer = [];
  };
  for (const line of lines) {
    if (line === "") {
      flush();
      continue;
    }
    if (SIGN_OFF.test(line)) break;
    if (paragraphs.length === 0 && buffer.length === 0 && SALUTATION.test(line)) continue;
    buffer.push(line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ""));
  }
  flush();
  return paragraphs;
}

// --- "Speaker 1:" labels ------------------------------------------------------------------

// "Speaker 1:", "spk_0:", and the lower-case first names speech-to-text tools write ("marta:").
const LABEL_LINE = /^\s*((?:speaker|spk|participant|person|caller)[\s_-]*[\w]{1,3}|SPEAKER_\d+|[a-z]{2,15})\s*:\s*(.*)$/i;
const NAME = String.raw`(\p{L}[\p{L}'’-]+(?:\s+\p{L}[\p{L}'’-]+)?)`;
const INTRODUCTIONS = [
  // "this is Colm Brennan from Rotaweave", "it's carla jimenez ops at bramble street grocers"
  new RegExp(
    String.raw`\b(?:this is|it'?s|i'?m|i am|my name is|you'?ve got)\s+${NAME}(?:\s*,?\s+(?:[\p{L}-]+\s+){0,5}?(?:from|at|with|over at|here at)\s+([\p{L}][\p{L}&.'’ -]{1,40}?)(?=[,.!?]|\s+(?:um|uh|and|thanks|so|here|calling|i)\b|$))?`,
    "iu",
  ),
  // "Adaeze Nwosu, director of nursing at St. Brigid's Medical Center." opening a turn.
  new RegExp(
    String.raw`^(?:[^.!?]{0,30}[.!?]\s+)?(\p{Lu}\p{L}+\s+\p{Lu}[\p{L}'’-]+),\s+[^,]{2,60}?\s+(?:at|from|with)\s+(\p{Lu}[\p{L}&.'’ -]{1,50}?)(?=[,!?]|\.\s|\.$|$)`,
    "u",
  ),
  // "Gareth Lowe here."
  new RegExp(String.raw`^(?:[^.!?]{0,30}[.!?]\s+)?(\p{Lu}\p{L}+\s+\p{Lu}[\p{L}'’-]+) here\b`, "u"),
];
const NOT_NAMES =
  /^(hi|hello|hey|thanks|dear|here|calling|just|really|so|um|uh|actually|the|a|an|all|from|with|good|great|fine|me|us|we|you|okay|ok|yeah|yes|no|not|going|sorry|happy|glad|back|on|in|at|about|been|done|looking|still|also|only|very|sure|right|there|that|this|it|what|how|fine|ready|free|afraid|calling|hoping|trying|working|thinking)$/i;

/** Most lines open with one of a few labels, each used again: turns, not "Subject:" and "Attendees:" headings. */
export function looksLabelled(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const labels = new Map<string, number>();
  for (const line of lines) {
    const label = LABEL_LINE.exec(line)?.[1]?.toLowerCase();
    if (label) labels.set(label, (labels.get(label) ?? 0) + 1);
  }
  const repeated = [...labels.values()].filter((n) => n >= 2);
  const turns = repeated.reduce((sum, n) => sum + n, 0);
  return repeated.length >= 2 && repeated.length <= 8 && turns >= 3 && turns >= lines.length * 0.5;
}

export function readLabelledSpeakers(text: string): ReadConversation {
  const raw: Array<{ label: string; text: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    const m = LABEL_LINE.exec(line);
    if (m) raw.push({ label: m[1]!.trim(), text: m[2]!.trim() });
    else if (line.trim() !== "" && raw.length > 0) raw[raw.length - 1]!.text += ` ${line.trim()}`;
  }
  const names = new Map<string, { name: string; organization: string | null }>();
  const seen = new Set<string>();
  for (const turn of raw) {
    // People introduce themselves in their first turn; later "it's a lot of hours" names nobody.
    if (seen.has(turn.label)) continue;
    seen.add(turn.label);
    // In a text with capitals, a name has them: "it's clear" names nobody; speech-to-text writes all in lower case.
    const cased = /\p{Lu}/u.test(turn.text);
    for (const pattern of INTRODUCTIONS) {
      const m = pattern.exec(turn.text);
      const name = m?.[1]?.trim();
      if (!m || !name || name.split(/\s+/).some((w) => NOT_NAMES.test(w))) continue;
      if (cased && !name.split(/\s+/).every((w) => /^\p{Lu}/u.test(w))) continue;
      names.set(turn.label, { name: titleCase(name), organization: m[2] ? titleCase(m[2].trim()) : null });
      break;
    }
  }
  const turns = raw.map((t) => ({
    at: null,
    speaker: names.get(t.label)?.name ?? (/^[a-z]+$/.test(t.label) ? titleCase(t.label) : t.label),
    organization: names.get(t.label)?.organization ?? null,
    text: t.text,
    quoted: false,
  }));
  return {
    turns,
    format: "labelled",
    people: [...names.values()].map((n) => ({ name: n.name, organization: n.organization, role: null, side: null })),
    authorOrganization: null,
  };
}

// --- call notes -----------------------------------------------------------------------------

const AUTHOR =
  /^\s*(?:[Ww]ritten by|[Nn]otes by|[Nn]otes|[Aa]uthor|[Pp]repared by|[Bb]y)\s*:?\s*([\p{Lu}][\p{L}'’-]+(?:\s+[\p{Lu}][\p{L}'’-]+){1,2})\s*(?:\(([^)]+)\)|,\s*([^,\n]+))?\s*$/u;
const ATTENDEES = /^\s*(?:attendees|present|met|on the call|who|participants|with)\s*:\s*(.+)$/i;
const PERSON_WITH_ROLE =
  /([\p{Lu}][\p{L}'’-]+(?:\s+[\p{Lu}][\p{L}'’-]+){1,2})\s*(?:\(([^)]{2,60})\)|,\s+(?:the\s+)?((?:[\p{Ll}\p{Lu}][\p{L}&-]*\s?){1,5}?)(?=,|\.|;|$))?/gu;

export function looksLikeNotes(text: string): boolean {
  return text
    .split(/\r?\n/)
    .slice(0, 6)
    .some((line) => AUTHOR.test(line));
}

export function readNotes(text: string): ReadConversation {
  const lines = text.split(/\r?\n/);
  let author: { name: string; organization: string | null } | null = null;
  const people: ReadConversation["people"] = [];
  const turns: Turn[] = [];
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length > 0)
      turns.push({ at: null, speaker: author?.name ?? null, organization: author?.organization ?? null, text: buffer.join(" "), quoted: false });
    buffer = [];
  };
  for (const rawLine of lines) {
    const line = rawLine.trim();
    const byline: RegExpExecArray | null = author === null ? AUTHOR.exec(line) : null;
    if (byline) {
      author = { name: byline[1]!, organization: (byline[2] ?? byline[3])?.trim() ?? null };
      people.push({ name: author.name, organization: author.organization, role: null, side: "seller" });
      continue;
    }
    const attendees = ATTENDEES.exec(line);
    if (attendees && turns.length === 0) {
      for (const m of attendees[1]!.matchAll(PERSON_WITH_ROLE)) {
        const role = (m[2] ?? m[3] ?? "").trim() || null;
        const ours = role !== null && /^our\b/i.test(role);
        if (!people.some((p) => p.name === m[1])) {
          people.push({
            name: m[1]!,
            organization: ours ? (author?.organization ?? null) : null,
            role: role?.replace(/^our\s+/i, "") ?? null,
            side: ours ? "seller" : null,
          });
        }
      }
      // The attendee line is also prose ("Douglas Fenn, the superintendent, joined for ten minutes").
    }
    if (line === "" || (/^#+\s|^[A-Z][\w &/-]{0,40}$/.test(line) && !/[.!?:]$/.test(line) && line.split(/\s+/).length <= 5)) {
      flush();
      continue;
    }
    // A bullet is a turn of its own: "- Ana is going to send the figures" after a paragraph.
    const bullet = /^\s*(?:[-*•]|\d+[.)])\s+/.test(rawLine);
    if (bullet) flush();
    buffer.push(line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ""));
    if (bullet) flush();
  }
  flush();
  return { turns, format: "notes", people, authorOrganization: author?.organization ?? null };
}
