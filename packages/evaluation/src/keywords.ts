/*
 * The labelled set's matching rule: a group is "alt1|alt2|..."; an alternative matches when it
 * occurs at the start of a word of the lower-cased text, with hyphens, slashes and underscores
 * read as spaces ("deactivat" matches "deactivated"); an entry matches when at least ceil(n/2)
 * of its n groups do.
 */

const normalise = (text: string) => ` ${text.toLowerCase().replace(/[-/_]/g, " ").replace(/\s+/g, " ")}`;

const WORD_START = /[\p{L}\p{N}]/u;

function occursAtWordStart(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (!WORD_START.test(haystack[at - 1] ?? " ")) return true;
  }
  return false;
}

/** How many of the groups match `text`. */
export function groupsMatched(groups: readonly string[], text: string): number {
  const haystack = normalise(text);
  return groups.filter((group) =>
    group
      .split("|")
      .map((alternative) => normalise(alternative).trim())
      .some((alternative) => alternative !== "" && occursAtWordStart(haystack, alternative)),
  ).length;
}

export function keywordsMatch(groups: readonly string[], text: string): boolean {
  return groupsMatched(groups, text) >= Math.ceil(groups.length / 2);
}
