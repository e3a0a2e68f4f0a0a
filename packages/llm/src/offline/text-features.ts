/*
 * Word-level text handling shared by the offline rules and the hashing embedder: tokens,
 * a light stemmer and a stop-word list. Deliberately small and deterministic.
 */

export const STOP_WORDS = new Set(
  (
    "a an the and or but if then so of to for from in on at by with about as into onto over under " +
    "is are was were be been being am do does did doing have has had having will would shall should can could may might must " +
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs this that these those " +
    "there here what which who whom whose when where why how all any both each few more most other some such no not only own same " +
    "than too very just also still up out off again further once yes yeah ok okay sure please thanks thank well really " +
    "let lets let's i'll i'm we'll we're you're it's that's"
  ).split(/\s+/),
);

const IRREGULAR: Record<string, string> = {
  sent: "send",
  built: "build",
  made: "make",
  took: "take",
  taken: "take",
  gave: "give",
  given: "give",
  wrote: "write",
  written: "write",
  ran: "run",
  began: "begin",
  begun: "begin",
  got: "get",
  gotten: "get",
  held: "hold",
  led: "lead",
  met: "meet",
  paid: "pay",
  put: "put",
  set: "set",
  shared: "share",
  spoke: "speak",
  spoken: "speak",
  told: "tell",
  thought: "think",
  bought: "buy",
  brought: "bring",
  did: "do",
  done: "do",
  went: "go",
  gone: "go",
  came: "come",
  saw: "see",
  seen: "see",
  found: "find",
  kept: "keep",
  left: "leave",
  chose: "choose",
  chosen: "choose",
  drew: "draw",
  drawn: "draw",
  said: "say",
  won: "win",
  lost: "lose",
};

/** "wrote" → "write", "sent" → "send": the base form of an irregular past, else the word as it is. */
export function baseForm(word: string): string {
  return IRREGULAR[word.toLowerCase()] ?? word;
}

/** A light, deterministic stemmer: irregular past forms, then common suffixes. */
export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && w.endsWith("sses")) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  for (const suffix of ["ing", "ed"]) {
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
      else if (/[^aeiou][aeiou][bcdgkmnptvz]$/.test(w) && w.length <= 4) w = `${w}e`;
      break;
    }
  }
  return w;
}

/** Lower-cased word tokens; hyphenated words count whole and as their parts. */
export function tokenize(text: string): string[] {
  const words =
    text
      .toLowerCase()
      .replace(/[\u2019']/g, "'")
      .match(/[a-z0-9][a-z0-9'&.-]*[a-z0-9]|[a-z0-9]/g) ?? [];
  return words.flatMap((word) => {
    const bare = word.replace(/'s$/, "").replace(/\.$/, "");
    return bare.includes("-") ? [bare, ...bare.split("-").filter(Boolean)] : [bare];
  });
}

/** Stemmed tokens without stop words: what two texts are compared on. */
export function contentTerms(text: string): string[] {
  return tokenize(text)
    .filter((token) => !STOP_WORDS.has(token) && !token.includes("'"))
    .map(stem);
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 && setB.size === 0) return 0;
  let shared = 0;
  for (const term of setA) if (setB.has(term)) shared += 1;
  return shared / (setA.size + setB.size - shared);
}

export function capitalizeFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** A text spliced into a regular expression as itself. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
