/*
 * Who spoke in a diarized transcript, from its speaker labels ("[00:00:03] Priya Shah (Skyline
 * Cloud): …"). The organisation in brackets is what tells the buyer's people from the seller's;
 * a label without one is kept with `org: null`. Only labels are read, never what was said, and a
 * transcript is untrusted: names and organisations are length-capped text and nothing more.
 */

export interface Speaker {
  name: string;
  org: string | null;
}

/** How many distinct speakers one interaction keeps: a call with more is a webinar, not a deal conversation. */
export const MAX_SPEAKERS = 40;

// A timestamp is optional; a name is one to four words of letters, its first and last capitalised
// ("Ana de la Cruz"), so that a sentence with a colon in it ("She said the budget is: …") is no one.
const LABEL =
  /^\s*(?:\[[\d:.]+\]\s*)?(\p{Lu}[\p{L}\p{M}'’.-]*(?:(?:\s[\p{L}][\p{L}\p{M}'’.-]*){0,2}\s\p{Lu}[\p{L}\p{M}'’.-]*)?)\s*(?:\(([^()\n]{1,80})\))?\s*:\s/u;

/** Words that open a line with a colon but name no one ("Note: …", "Action items: …"). */
const NOT_NAMES = new Set(["note", "notes", "action items", "next steps", "summary", "agenda", "subject", "re", "fwd", "to", "from", "cc", "date"]);

/** The distinct speakers of a text, in order of first appearance (compared without case or extra spaces). */
export function speakersOf(text: string): Speaker[] {
  const seen = new Map<string, Speaker>();
  for (const line of text.split("\n")) {
    const match = LABEL.exec(line);
    if (!match) continue;
    const name = match[1]!.replace(/\s+/g, " ").trim();
    if (NOT_NAMES.has(name.toLowerCase())) continue;
    const org = match[2]?.replace(/\s+/g, " ").trim() || null;
    const key = personKey(name);
    const known = seen.get(key);
    if (known) {
      if (known.org === null && org !== null) known.org = org;
      continue;
    }
    if (seen.size >= MAX_SPEAKERS) break;
    seen.set(key, { name, org });
  }
  return [...seen.values()];
}

/** One spelling of a person's or organisation's name for comparing: "Dana  Whitfield" is "dana whitfield". */
export function personKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}
