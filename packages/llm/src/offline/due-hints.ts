/** Phrases that say when something is due, in the order they are tried. */
const DUE_PATTERNS: RegExp[] = [
  /\b(?:by|before|on|until|no later than)\s+(?:(?:next|this)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|eod|cob|end of (?:the\s+)?(?:day|week|month|quarter|year))\b/i,
  /\b(?:by|before|on)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b(?:\s+of\s+[A-Z][a-z]+)?/i,
  /\b(?:by|before|on)\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2}(?:st|nd|rd|th)?\b/i,
  /\bbefore (?:our|the) next (?:call|meeting|session)\b/i,
  /\bwithin (?:a|an|one|two|three|four|five|\d+) (?:business )?(?:hours?|days?|weeks?|months?)(?: of [a-z]+ing(?: \w+){0,2})?/i,
  /\b(?:next|this) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|quarter)\b/i,
  /(?<!from )\b(?:later )?today\b(?!['’])|\btomorrow\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b/i,
  /\bon (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i,
  /\bin (?:a|one|two|three|four|\d+) (?:days?|weeks?)\b|\b(?:a|one|two|three|four|\d+) (?:days?|weeks?) from now\b/i,
  /\bfor the \d{1,2}(?:st|nd|rd|th)\b/i,
];

export interface DueHint {
  hint: string;
  /** The text without the hint, when the hint sat at its end. */
  rest: string;
}

export function findDueHint(text: string): DueHint | null {
  for (const pattern of DUE_PATTERNS) {
    const match = pattern.exec(text);
    if (match) {
      const before = text.slice(0, match.index).trimEnd();
      const after = text.slice(match.index + match[0].length).trim();
      return { hint: match[0], rest: after === "" ? before.replace(/[,;]$/, "").replace(/\s+(?:for|by|on|in|within|before|until)$/i, "") : text };
    }
  }
  return null;
}

/** Drops a trailing "last Tuesday", "yesterday", "this morning": when a done thing was done. */
export function stripPastTime(text: string): string {
  return text
    .replace(
      /\s+(?:last (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month)|yesterday|this morning|today|earlier(?: today| this week)?|on (?:monday|tuesday|wednesday|thursday|friday)|(?:the following|that|the same|the next) (?:monday|tuesday|wednesday|thursday|friday|day|afternoon|morning|week)|the week after (?:our|the) \w+|within the week)$/i,
      "",
    )
    .trim();
}
