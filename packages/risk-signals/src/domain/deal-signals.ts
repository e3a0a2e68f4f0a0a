import { accountSides, type AccountSides } from "./account-sides";
import { CLOSED_STAGES, LATE_STAGES, type AccountState, type DealSeen, type DealStateSeen, type InteractionSeen, type ItemSeen } from "./account-state";
import { closeByDate, daysBetween } from "./close-dates";
import type { RiskSignal } from "./risk-signal";
import type { RiskThresholds } from "./risk-thresholds";

/*
 * The rules, one function per signal, each on a deal of the account and the clock. A rule
 * answers a signal or null; a closed deal raises nothing (its signals clear).
 */

const DAY_MS = 86_400_000;
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
const dateOf = (iso: string) => iso.slice(0, 10);

type OverdueItem = ItemSeen & { dueDate: string };

/** What every deal of the account shares, worked out once per evaluation. */
interface AccountFacts {
  sides: AccountSides;
  lastInteraction: InteractionSeen | null;
  /** Items past due, earliest first, by the side that owes them (an item no known speaker owns is the seller's to chase). */
  overdue: Record<"customer" | "seller", OverdueItem[]>;
}

interface RuleInput {
  deal: DealSeen;
  current: DealStateSeen;
  /** Each state's close date, read once per deal (both close-date rules use it). */
  closes: ReadonlyArray<{ state: DealStateSeen; date: string | null }>;
  account: AccountFacts;
  now: Date;
  thresholds: RiskThresholds;
}
type Rule = (input: RuleInput) => RiskSignal | null;

const late = (stage: string) => LATE_STAGES.has(stage);
const created = (deal: DealSeen) => deal.history[0]!;

/** The index where the current run of states sharing `same` began (the last state is in it). */
function runStart(history: readonly DealStateSeen[], same: (a: DealStateSeen, b: DealStateSeen) => boolean): number {
  let start = history.length - 1;
  while (start > 0 && same(history[start - 1]!, history[history.length - 1]!)) start -= 1;
  return start;
}

const noEconomicBuyer: Rule = ({ deal, current }) =>
  deal.economicBuyer !== null
    ? null
    : {
        code: "no_economic_buyer",
        severity: late(current.stage) ? "high" : "medium",
        opportunityId: deal.opportunityId,
        startedAt: created(deal).validFrom,
        evidence: { interactionId: current.sourceInteractionId, quote: null },
        detail: `No one who signs or owns the budget has been named (stage ${current.stage})`,
      };

const noChampion: Rule = ({ deal, current }) =>
  deal.champion !== null
    ? null
    : {
        code: "no_champion",
        severity: current.stage === "negotiation" ? "high" : "medium",
        opportunityId: deal.opportunityId,
        startedAt: created(deal).validFrom,
        evidence: { interactionId: current.sourceInteractionId, quote: null },
        detail: "No one on the buyer's side is named as pushing for the deal",
      };

const singleThreaded: Rule = ({ deal, current, account, thresholds }) => {
  const { sides } = account;
  if (!sides.known || sides.customerPeople.length >= thresholds.minCustomerContacts) return null;
  const names = sides.customerPeople.map((p) => p.name);
  const latest = account.lastInteraction;
  return {
    code: "single_threaded",
    severity: late(current.stage) ? "high" : "medium",
    opportunityId: deal.opportunityId,
    startedAt: created(deal).validFrom,
    evidence: { interactionId: latest?.interactionId ?? current.sourceInteractionId, quote: null },
    detail: names.length === 0 ? "No one from the buyer's side has spoken in the account's calls" : `Only ${names.join(", ")} from the buyer's side has spoken`,
  };
};

const pricingNotDiscussed: Rule = ({ deal, current }) => {
  const discussed = deal.history.some((s) => s.amount !== null) || deal.scores.pricingAlignment !== null || deal.pricingQuote !== null;
  if (discussed) return null;
  return {
    code: "pricing_not_discussed",
    severity: late(current.stage) ? "high" : "low",
    opportunityId: deal.opportunityId,
    startedAt: created(deal).validFrom,
    evidence: { interactionId: current.sourceInteractionId, quote: null },
    detail: `No amount stated and pricing not discussed (stage ${current.stage})`,
  };
};

const competitorActive: Rule = ({ deal }) => {
  const { competitivePosition, incumbentDisplacementRisk } = deal.scores;
  const scoredBad = (incumbentDisplacementRisk !== null && incumbentDisplacementRisk >= 2) || (competitivePosition !== null && competitivePosition <= 1);
  if (deal.competition === null && !scoredBad) return null;
  const since = deal.history[runStart(deal.history, (a, b) => a.competitionNamed === b.competitionNamed)]!;
  return {
    code: "competitor_active",
    severity: scoredBad ? "high" : "medium",
    opportunityId: deal.opportunityId,
    startedAt: since.validFrom,
    evidence: { interactionId: since.sourceInteractionId, quote: deal.competition?.quote ?? deal.competition?.text ?? null },
    // The stored competition text gathers every mention; the quote shows the latest, the detail stays one line.
    detail: scoredBad ? "A competitor or incumbent is in play and scored a threat" : "A competitor or incumbent is in play",
  };
};

const stalled: Rule = ({ deal, current, now, thresholds }) => {
  const start = runStart(deal.history, (a, b) => a.stage === b.stage);
  const since = deal.history[start]!;
  const callsSince = deal.history.length - 1 - start;
  const byDays = plusDays(since.validFrom, thresholds.stalledDays);
  const byCalls = callsSince >= thresholds.stalledCalls ? deal.history[start + thresholds.stalledCalls]!.validFrom : null;
  const startedAt = [byDays, byCalls].filter((t): t is string => t !== null && Date.parse(t) <= now.getTime()).sort()[0];
  if (startedAt === undefined) return null;
  return {
    code: "stalled",
    severity: late(current.stage) ? "high" : "medium",
    opportunityId: deal.opportunityId,
    startedAt,
    evidence: { interactionId: since.sourceInteractionId, quote: null },
    detail: `In ${current.stage} since ${dateOf(since.validFrom)}`,
  };
};

function latestInteraction(state: AccountState) {
  return state.interactions.reduce<AccountState["interactions"][number] | null>(
    (latest, i) => (latest === null || Date.parse(i.occurredAt) > Date.parse(latest.occurredAt) ? i : latest),
    null,
  );
}

const goneQuiet: Rule = ({ deal, current, account, now, thresholds }) => {
  const latest = account.lastInteraction;
  const lastAt = latest?.occurredAt ?? current.validFrom;
  const startedAt = plusDays(lastAt, thresholds.quietDays);
  if (Date.parse(startedAt) > now.getTime()) return null;
  return {
    code: "gone_quiet",
    severity: late(current.stage) ? "high" : "medium",
    opportunityId: deal.opportunityId,
    startedAt,
    evidence: { interactionId: latest?.interactionId ?? current.sourceInteractionId, quote: null },
    detail: `No interaction with the account since ${dateOf(lastAt)}`,
  };
};

/** Each state's close date, read against when its timeframe was first said. */
function closeDates(history: readonly DealStateSeen[]): Array<{ state: DealStateSeen; date: string | null }> {
  const out: Array<{ state: DealStateSeen; date: string | null }> = [];
  for (const [index, state] of history.entries()) {
    const previous = out[index - 1];
    const unchanged = previous !== undefined && previous.state.closeTimeframe === state.closeTimeframe;
    out.push({ state, date: unchanged ? previous.date : closeByDate(state.closeTimeframe, state.validFrom) });
  }
  return out;
}

const closeDatePassed: Rule = ({ deal, current, closes, now }) => {
  const { date } = closes[closes.length - 1]!;
  if (date === null || date >= dateOf(now.toISOString())) return null;
  const said = deal.history[runStart(deal.history, (a, b) => a.closeTimeframe === b.closeTimeframe)]!;
  return {
    code: "close_date_passed",
    severity: "high",
    opportunityId: deal.opportunityId,
    startedAt: plusDays(`${date}T00:00:00.000Z`, 1),
    evidence: { interactionId: said.sourceInteractionId, quote: current.closeTimeframe },
    detail: `The close timeframe "${current.closeTimeframe ?? ""}" ended on ${date}`,
  };
};

const closeDateSlipping: Rule = ({ deal, closes, thresholds }) => {
  const dates = closes.filter((d) => d.date !== null) as Array<{ state: DealStateSeen; date: string }>;
  const moves = dates.slice(1).flatMap((d, i) => (d.date !== dates[i]!.date ? [{ from: dates[i]!.date, to: d.date, state: d.state }] : []));
  const slips = moves.filter((m) => daysBetween(m.from, m.to) > thresholds.slipDays);
  const last = moves[moves.length - 1];
  // Slipping while the latest move was a slip; a later move back (or a new firm date) ends it.
  if (last === undefined || !slips.includes(last)) return null;
  return {
    code: "close_date_slipping",
    severity: slips.length >= 2 ? "high" : "medium",
    opportunityId: deal.opportunityId,
    startedAt: last.state.validFrom,
    evidence: { interactionId: last.state.sourceInteractionId, quote: last.state.closeTimeframe },
    detail: `The close moved from ${last.from} to ${last.to}${slips.length >= 2 ? ` (${slips.length} slips)` : ""}`,
  };
};

const qualificationRegressing: Rule = ({ deal, current, thresholds }) => {
  const measures = [
    { name: "MEDDIC", of: (s: DealStateSeen) => s.meddicCompleteness },
    { name: "ontology", of: (s: DealStateSeen) => s.ontologyCompleteness },
  ];
  const falls = measures.flatMap(({ name, of }) => {
    const peak = Math.max(...deal.history.map(of));
    if (of(current) > peak - thresholds.regressionDrop) return [];
    const peakAt = deal.history.findIndex((s) => of(s) === peak);
    const fellAt = deal.history.findIndex((s, i) => i > peakAt && of(s) <= peak - thresholds.regressionDrop);
    return [{ name, peak, now: of(current), state: deal.history[fellAt]! }];
  });
  if (falls.length === 0) return null;
  const first = falls.reduce((a, b) => (Date.parse(a.state.validFrom) <= Date.parse(b.state.validFrom) ? a : b));
  return {
    code: "qualification_regressing",
    severity: "medium",
    opportunityId: deal.opportunityId,
    startedAt: first.state.validFrom,
    evidence: { interactionId: first.state.sourceInteractionId, quote: null },
    detail: falls.map((f) => `${f.name} completeness fell from ${Math.round(f.peak * 100)}% to ${Math.round(f.now * 100)}%`).join("; "),
  };
};

/** Items still to do whose due date (plus the grace) has passed, earliest due first. */
function overdueItems(items: readonly ItemSeen[], now: Date, graceDays: number): OverdueItem[] {
  const today = dateOf(now.toISOString());
  return items
    .filter((i): i is OverdueItem => (i.status === "open" || i.status === "in_progress") && i.dueDate !== null)
    .filter((i) => dateOf(plusDays(`${i.dueDate}T00:00:00.000Z`, graceDays)) < today)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.actionItemId.localeCompare(b.actionItemId));
}

function overdueRule(side: "customer" | "seller"): Rule {
  return ({ deal, account, thresholds }) => {
    const mine = account.overdue[side];
    const first = mine[0];
    if (first === undefined) return null;
    const owners = [...new Set(mine.map((i) => i.ownerName ?? "no owner"))];
    return {
      code: side === "customer" ? "overdue_customer_items" : "overdue_seller_items",
      severity: side === "seller" ? "high" : "medium",
      opportunityId: deal.opportunityId,
      startedAt: plusDays(`${first.dueDate}T00:00:00.000Z`, thresholds.overdueGraceDays + 1),
      evidence: { interactionId: first.sourceInteractionId, quote: first.evidenceQuote ?? first.text },
      detail: `${mine.length} overdue (${owners.join(", ")}); the first was due ${first.dueDate}: ${first.text}`,
    };
  };
}

const RULES: readonly Rule[] = [
  noEconomicBuyer,
  noChampion,
  singleThreaded,
  pricingNotDiscussed,
  competitorActive,
  stalled,
  goneQuiet,
  closeDatePassed,
  closeDateSlipping,
  qualificationRegressing,
  overdueRule("customer"),
  overdueRule("seller"),
];

function accountFacts(state: AccountState, now: Date, thresholds: RiskThresholds): AccountFacts {
  const sides = accountSides(state);
  const overdue = overdueItems(state.items, now, thresholds.overdueGraceDays);
  const owedByCustomer = (item: OverdueItem) => sides.sideOf(item.ownerName) === "customer";
  return {
    sides,
    lastInteraction: latestInteraction(state),
    overdue: { customer: overdue.filter(owedByCustomer), seller: overdue.filter((i) => !owedByCustomer(i)) },
  };
}

/** Every signal of every open deal of the account, as of `now`. */
export function evaluateAccount(state: AccountState, now: Date, thresholds: RiskThresholds): RiskSignal[] {
  const account = accountFacts(state, now, thresholds);
  return state.deals.flatMap((deal) => {
    const current = deal.history[deal.history.length - 1]!;
    if (CLOSED_STAGES.has(current.stage)) return [];
    const closes = closeDates(deal.history);
    return RULES.map((rule) => rule({ deal, current, closes, account, now, thresholds })).filter((s): s is RiskSignal => s !== null);
  });
}
