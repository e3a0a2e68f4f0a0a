import { personKey, type Speaker } from "@dealgraph/extraction";
import type { AccountState } from "./account-state";

export type Side = "customer" | "seller" | "unknown";

/** Who is on which side of an account's calls, as far as the speaker labels tell. */
export interface AccountSides {
  /** Whether any seller organisation is known; without one no speaker can be called the buyer's. */
  known: boolean;
  /** The buyer's people who spoke, each once. */
  customerPeople: Speaker[];
  /** The side of a person named in an action item or a MEDDIC field. */
  sideOf(name: string | null): Side;
}

const words = (text: string) =>
  personKey(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3);

/** A user id names a speaker when one of its words is one of the speaker's ("user-priya", "priya.shah@…" and "Priya Shah"). */
function isRecordingUser(userId: string | null, speaker: Speaker): boolean {
  if (userId === null) return false;
  const nameWords = new Set(words(speaker.name));
  return words(userId).some((word) => word !== "user" && nameWords.has(word));
}

/**
 * The seller is whoever the tenant is: its recording user speaks for it, and failing that its
 * organisation is the one that turns up in the calls of its other accounts. Everyone else with an organisation in
 * brackets is the buyer's. A single-account tenant whose user cannot be matched to a speaker
 * has no known seller, and then nothing is said about sides rather than a guess.
 */
export function accountSides(state: Pick<AccountState, "interactions" | "otherAccountsOrgs">): AccountSides {
  const sellerOrgs = new Set<string>();
  for (const interaction of state.interactions) {
    for (const speaker of interaction.speakers ?? []) {
      if (speaker.org !== null && isRecordingUser(interaction.userId, speaker)) sellerOrgs.add(personKey(speaker.org));
    }
  }
  // Second best: a buyer's parent company can turn up in a sister account's calls too.
  if (sellerOrgs.size === 0) for (const org of state.otherAccountsOrgs) sellerOrgs.add(personKey(org));
  const people = new Map<string, Speaker>();
  for (const interaction of state.interactions) {
    for (const speaker of interaction.speakers ?? []) {
      const key = personKey(speaker.name);
      if (!people.has(key) || (people.get(key)!.org === null && speaker.org !== null)) people.set(key, speaker);
    }
  }
  const sideOfSpeaker = (speaker: Speaker): Side => {
    if (speaker.org === null || sellerOrgs.size === 0) return "unknown";
    return sellerOrgs.has(personKey(speaker.org)) ? "seller" : "customer";
  };
  const speakers = [...people.values()];
  return {
    known: sellerOrgs.size > 0,
    customerPeople: speakers.filter((speaker) => sideOfSpeaker(speaker) === "customer"),
    sideOf(name) {
      if (name === null) return "unknown";
      const key = personKey(name);
      const exact = people.get(key);
      if (exact) return sideOfSpeaker(exact);
      // "Grace" for "Grace Liu": only when one speaker alone has that first name.
      const first = key.split(" ")[0]!;
      const byFirst = speakers.filter((speaker) => personKey(speaker.name).split(" ")[0] === first);
      return byFirst.length === 1 ? sideOfSpeaker(byFirst[0]!) : "unknown";
    },
  };
}
