/*
 * Whether a value names a person: the full name, or one of its names on its own ("Katrin" or
 * "Vogel" for Katrin Vogel), as whole words, case-insensitive. Gold sets give full names; systems
 * often write one name, or a name with a role ("Katrin Vogel, CFO, signs above 150k").
 */

const words = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}'’-]+/u)
    .filter((w) => w.length > 0);

export function namesPerson(person: string, value: string | null | undefined): boolean {
  if (!value) return false;
  const said = new Set(words(value));
  return words(person).some((name) => name.length > 1 && said.has(name));
}

/** An owner field against the gold owner: both name the same person. */
export function sameOwner(gold: string, owner: string | null | undefined): boolean {
  if (!owner) return false;
  const goldNames = words(gold);
  const ownerNames = words(owner);
  return ownerNames.length > 0 && (ownerNames.every((n) => goldNames.includes(n)) || goldNames.every((n) => ownerNames.includes(n)));
}
