/*
 * The risk signals a deal can raise (DESIGN §13). Codes are stable: they name projection rows,
 * webhook payloads and the README's table. What each means is said once, here.
 */

export const RISK_SIGNAL_CODES = [
  "no_economic_buyer",
  "no_champion",
  "single_threaded",
  "pricing_not_discussed",
  "competitor_active",
  "stalled",
  "gone_quiet",
  "close_date_passed",
  "close_date_slipping",
  "qualification_regressing",
  "overdue_customer_items",
  "overdue_seller_items",
] as const;
export type RiskSignalCode = (typeof RISK_SIGNAL_CODES)[number];

export const RISK_SEVERITIES = ["low", "medium", "high"] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

/** What each signal means, for people (the README and the deal room show these). */
export const RISK_SIGNAL_MEANINGS: Readonly<Record<RiskSignalCode, string>> = {
  no_economic_buyer: "Nobody who signs or owns the budget has been named; high from the proposal stage on.",
  no_champion: "Nobody on the buyer's side is pushing for the deal; high in negotiation.",
  single_threaded: "Fewer than RISK_MIN_CUSTOMER_CONTACTS people from the buyer's side have spoken in the account's calls; high from the proposal stage on.",
  pricing_not_discussed: "No amount was ever stated and pricing never came up; high from the proposal stage on.",
  competitor_active: "A competitor or incumbent is in play (the quote names it); high when the displacement risk or the competitive position is scored bad.",
  stalled: "The stage has not moved for RISK_STALLED_DAYS days or over RISK_STALLED_CALLS calls about the deal.",
  gone_quiet: "No interaction with the account for RISK_QUIET_DAYS days.",
  close_date_passed: "The stated close timeframe has ended and the deal is still open.",
  close_date_slipping: "A call moved the close timeframe later by more than RISK_SLIP_DAYS days.",
  qualification_regressing: "MEDDIC or ontology completeness fell between versions by RISK_REGRESSION_DROP or more.",
  overdue_customer_items: "Action items owned by the buyer's people are past their due date (plus RISK_OVERDUE_GRACE_DAYS).",
  overdue_seller_items: "Action items owned by the seller's people, or by no known speaker, are past their due date (plus RISK_OVERDUE_GRACE_DAYS).",
};
