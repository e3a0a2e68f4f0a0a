import type { SeriesCheck } from "./gold-schema";
import { groupsMatched, keywordsMatch } from "./keywords";
import { namesPerson, sameOwner } from "./people";
import { amountInRanges } from "./score-transcript";

/** What an account holds after a series has run through the pipelines (the projection's view). */
export interface AccountState {
  deals: Array<{
    name: string;
    summary: string;
    stage: string | null;
    amount: number | null;
    currency: string | null;
    economicBuyer: string | null;
    champion: string | null;
    updatedAt: string;
  }>;
  items: Array<{ text: string; owner: string | null; status: string }>;
}

export interface CheckOutcome {
  name: string;
  type: SeriesCheck["type"];
  passed: boolean;
  /** What was found, for the report. */
  actual: string;
}

type Deal = AccountState["deals"][number];

/** The deal a check is about: the one its deal_keywords pick out, else the most recently updated. */
function dealOf(check: SeriesCheck, state: AccountState): Deal | null {
  if (check.deal_keywords) {
    const groups = check.deal_keywords;
    const fitting = state.deals.filter((d) => keywordsMatch(groups, `${d.name}. ${d.summary}`));
    return fitting.sort((a, b) => groupsMatched(groups, `${b.name}. ${b.summary}`) - groupsMatched(groups, `${a.name}. ${a.summary}`))[0] ?? null;
  }
  return [...state.deals].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null;
}

export function runCheck(check: SeriesCheck, state: AccountState): CheckOutcome {
  const outcome = (passed: boolean, actual: string): CheckOutcome => ({ name: check.name, type: check.type, passed, actual });
  if (check.type === "deal_count") return outcome(state.deals.length === check.equals, `${state.deals.length} deals`);
  if (check.type === "item") {
    const found = state.items.filter((i) => keywordsMatch(check.keywords, i.text) && (check.owner === null || sameOwner(check.owner, i.owner)));
    const statusOk = check.status === undefined || found.every((i) => (i.status === "in_progress" ? "open" : i.status) === check.status);
    const actual = found.length === 0 ? "no such item" : found.map((i) => `${i.owner ?? "?"}: ${i.text} [${i.status}]`).join("; ");
    return outcome(found.length === check.count && statusOk, actual);
  }
  const deal = dealOf(check, state);
  if (deal === null) return outcome(false, "no such deal");
  switch (check.type) {
    case "final_stage":
      return outcome(deal.stage !== null && (check.equals as readonly string[]).includes(deal.stage), `stage ${deal.stage ?? "none"}`);
    case "amount":
      return outcome(amountInRanges(check.range, deal.amount), `amount ${deal.amount ?? "none"}`);
    case "currency":
      return outcome(deal.currency?.toUpperCase() === check.equals.toUpperCase(), `currency ${deal.currency ?? "none"}`);
    case "economic_buyer":
      return outcome(namesPerson(check.name_is, deal.economicBuyer), `economic buyer ${deal.economicBuyer ?? "none"}`);
    case "champion":
      return outcome(namesPerson(check.name_is, deal.champion), `champion ${deal.champion ?? "none"}`);
  }
}
