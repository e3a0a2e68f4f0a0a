import { ConflictError } from "@dealgraph/errors";
import { NO_STORED_EVIDENCE, parseStoredEvidence } from "@dealgraph/extraction";
import { newRevision, plainValue, type GraphTransaction } from "@dealgraph/graph";
import { z } from "zod";
import { accountStateSchema, type AccountState } from "../domain/account-state";
import { RISK_SEVERITIES, RISK_SIGNAL_CODES } from "../domain/risk-signal-codes";
import type { SignalChange, StoredSignal } from "../domain/signal-changes";

/*
 * What risk signals read of both graphs and write into the deal graph. Every statement is scoped
 * by tenant_id and account; values only travel as parameters. A RiskSignal hangs off the Deal
 * it is about (`RAISED_ON`) and keeps its history as RiskSignalVersion nodes (`HAS_VERSION`),
 * each valid from one evaluation that changed it to the next, like deals' versions.
 */

/** Past states of a deal as the rules read them; the current node is read the same way. */
const STATE_FIELDS = (v: string) => `{
  versionNumber: ${v}.version_number, stage: ${v}.stage, amount: ${v}.amount, closeTimeframe: ${v}.close_timeframe,
  competitionNamed: ${v}.meddic_competition IS NOT NULL,
  meddicCompleteness: coalesce(${v}.meddic_completeness, 0.0), ontologyCompleteness: coalesce(${v}.ontology_completeness, 0.0),
  validFrom: ${v}.valid_from, sourceInteractionId: ${v}.source_interaction_id }`;

/** How many of the tenant's other interactions are sampled for the seller's organisation. */
const OTHER_INTERACTIONS_SAMPLE = 200;

const READ_DEAL_SIDE = `
OPTIONAL MATCH (a:Account {tenant_id: $tenantId, account_id: $accountId})
RETURN
  COLLECT {
    MATCH (i:Interaction {tenant_id: $tenantId, account_id: $accountId})
    RETURN {interactionId: i.interaction_id, occurredAt: i.occurred_at, userId: i.user_id, speakersJson: i.speakers_json}
  } AS interactions,
  COLLECT {
    MATCH (d:Deal {tenant_id: $tenantId, account_id: $accountId})
    RETURN {
      opportunityId: d.opportunity_id, name: d.name,
      economicBuyer: d.meddic_economic_buyer, champion: d.meddic_champion, competition: d.meddic_competition,
      evidenceJson: d.qualification_evidence_json,
      pricingAlignment: d.dim_pricing_alignment, competitivePosition: d.dim_competitive_position,
      incumbentDisplacementRisk: d.dim_incumbent_displacement_risk,
      versions: COLLECT { MATCH (d)-[:HAS_VERSION]->(v:DealVersion) RETURN ${STATE_FIELDS("v")} AS s ORDER BY v.version_number },
      current: ${STATE_FIELDS("d")},
      interactionIds: COLLECT { MATCH (d)-[:DISCUSSED_IN]->(x:Interaction) RETURN x.interaction_id }
    }
  } AS deals,
  COLLECT {
    MATCH (o:Interaction {tenant_id: $tenantId})
    WHERE o.account_id <> $accountId AND o.speakers_json IS NOT NULL
    RETURN o.speakers_json LIMIT ${OTHER_INTERACTIONS_SAMPLE}
  } AS otherSpeakers,
  COLLECT { MATCH (s:RiskSignal {tenant_id: $tenantId, account_id: $accountId}) RETURN s {.*} } AS signals`;

const READ_ITEMS = `
MATCH (n:ActionItem {tenant_id: $tenantId, account_id: $accountId})
WHERE n.status IN ['open', 'in_progress'] AND n.due_date IS NOT NULL
RETURN {actionItemId: n.action_item_id, text: n.text, status: n.status, dueDate: n.due_date, ownerName: n.owner_name,
        evidenceQuote: n.evidence_quote, sourceInteractionId: n.source_interaction_id} AS item`;

/*
 * One statement for every change of the account's signals. A change applies only to the
 * version it was computed from (`base`), so two evaluations racing on one account cannot both
 * snapshot it: the loser's ids are missing from what it returns, and it retries on fresh reads.
 */
const WRITE_CHANGES = `
UNWIND $changes AS c
MERGE (s:RiskSignal {tenant_id: $tenantId, signal_id: c.signal_id})
  ON CREATE SET s.created_at = datetime(), s.version_number = 0
WITH s, c WHERE s.version_number = c.base
CALL (s, c) {
  WITH s, c WHERE c.base > 0
  CREATE (v:RiskSignalVersion)
  SET v = properties(s), v.version_id = c.version_id, v.valid_until = datetime($now), v.recorded_at = datetime(), ${newRevision("v")}
  CREATE (s)-[:HAS_VERSION]->(v)
}
SET s += c.properties, s.valid_from = datetime($now), s.updated_at = datetime(), ${newRevision("s")}
WITH s, c
OPTIONAL MATCH (d:Deal {tenant_id: $tenantId, opportunity_id: c.properties.opportunity_id})
FOREACH (deal IN CASE WHEN d IS NULL THEN [] ELSE [d] END | MERGE (s)-[:RAISED_ON]->(deal))
RETURN s.signal_id AS id`;

const ACCOUNTS_WITH_DEALS = `
MATCH (a:Account {tenant_id: $tenantId})
WHERE a.account_id > $after AND EXISTS { MATCH (:Deal {tenant_id: $tenantId})-[:FOR_ACCOUNT]->(a) }
RETURN a.account_id AS accountId ORDER BY a.account_id LIMIT toInteger($limit)`;

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(String(plainValue(value))).toISOString());

const speakersJson = z
  .string()
  .nullable()
  .transform((text) => {
    if (text === null) return null;
    try {
      const parsed = z.array(z.object({ name: z.string(), org: z.string().nullable() })).safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  });

const storedSignalSchema = z.object({
  signal_id: z.string(),
  opportunity_id: z.string(),
  account_id: z.string(),
  code: z.enum(RISK_SIGNAL_CODES),
  status: z.enum(["active", "cleared"]),
  severity: z.enum(RISK_SEVERITIES),
  started_at: z.string(),
  cleared_at: z.string().nullable().default(null),
  evidence_interaction_id: z.string().nullable().default(null),
  evidence_quote: z.string().nullable().default(null),
  detail: z.string(),
  version_number: z.number().int(),
});

export function storedSignalOf(properties: Record<string, unknown>): StoredSignal {
  const p = storedSignalSchema.parse(plainValue(properties));
  return {
    signalId: p.signal_id,
    opportunityId: p.opportunity_id,
    accountId: p.account_id,
    code: p.code,
    status: p.status,
    severity: p.severity,
    startedAt: p.started_at,
    clearedAt: p.cleared_at,
    evidenceInteractionId: p.evidence_interaction_id,
    evidenceQuote: p.evidence_quote,
    detail: p.detail,
    versionNumber: p.version_number,
  };
}

/** A signal's node properties (timestamps as ISO text, so the row and the node compare as they are). */
export function signalProperties(signal: StoredSignal): Record<string, unknown> {
  return {
    opportunity_id: signal.opportunityId,
    account_id: signal.accountId,
    code: signal.code,
    status: signal.status,
    severity: signal.severity,
    started_at: signal.startedAt,
    cleared_at: signal.clearedAt,
    evidence_interaction_id: signal.evidenceInteractionId,
    evidence_quote: signal.evidenceQuote,
    detail: signal.detail,
    version_number: signal.versionNumber,
  };
}

type Row = Record<string, unknown>;

export class RiskGraphRepository {
  /** The deal graph's side of an account: interactions, deals with their history, the seller's organisations seen elsewhere, stored signals. */
  async readDealSide(tx: GraphTransaction, tenantId: string, accountId: string) {
    const result = await tx.run(READ_DEAL_SIDE, { tenantId, accountId });
    const row = result.records[0]!;
    const interactions = (row.get("interactions") as Row[]).map((i) => ({
      interactionId: String(i.interactionId),
      occurredAt: iso(i.occurredAt)!,
      userId: (i.userId as string | null) ?? null,
      speakers: speakersJson.parse(i.speakersJson ?? null),
    }));
    const deals = (row.get("deals") as Row[]).map((d) => {
      // Unreadable quotes only ever drop a quote from a signal.
      const evidence = parseStoredEvidence(d.evidenceJson) ?? NO_STORED_EVIDENCE;
      const quoted = (text: unknown, field: string) => (typeof text === "string" ? { text, quote: evidence.meddic[field] ?? null } : null);
      const state = (s: Row) => ({ ...s, validFrom: iso(s.validFrom), sourceInteractionId: (s.sourceInteractionId as string | null) ?? null });
      return {
        opportunityId: d.opportunityId,
        name: d.name,
        economicBuyer: quoted(d.economicBuyer, "economic_buyer"),
        champion: quoted(d.champion, "champion"),
        competition: quoted(d.competition, "competition"),
        scores: {
          pricingAlignment: d.pricingAlignment ?? null,
          competitivePosition: d.competitivePosition ?? null,
          incumbentDisplacementRisk: d.incumbentDisplacementRisk ?? null,
        },
        pricingQuote: evidence.ontology.pricing_alignment ?? null,
        history: [...(d.versions as Row[]).map(state), state(d.current as Row)],
        interactionIds: d.interactionIds,
      };
    });
    const otherAccountsOrgs = [
      ...new Set((row.get("otherSpeakers") as string[]).flatMap((json) => (speakersJson.parse(json) ?? []).flatMap((s) => (s.org === null ? [] : [s.org])))),
    ];
    const stored = row.get("signals") as Row[];
    const signals = stored.map(storedSignalOf);
    // pg reads a bigint back as a string; so is it compared.
    const revisions = new Map(stored.map((p) => [String(p.signal_id), p.revision === null || p.revision === undefined ? null : String(p.revision)]));
    return { interactions, deals, otherAccountsOrgs, signals, revisions };
  }

  async readItems(tx: GraphTransaction, tenantId: string, accountId: string) {
    const result = await tx.run(READ_ITEMS, { tenantId, accountId });
    return result.records.map((r) => r.get("item") as Row);
  }

  /** The account's state for the rules, validated: a node this system did not write fails here, naming the field. */
  static accountState(tenantId: string, accountId: string, dealSide: Awaited<ReturnType<RiskGraphRepository["readDealSide"]>>, items: Row[]): AccountState {
    return accountStateSchema.parse({
      tenantId,
      accountId,
      interactions: dealSide.interactions,
      deals: dealSide.deals,
      otherAccountsOrgs: dealSide.otherAccountsOrgs,
      items,
    });
  }

  /** The tenant's accounts that have deals, in id order, a page at a time after `after`. */
  async accountsWithDeals(tx: GraphTransaction, tenantId: string, after: string, limit: number): Promise<string[]> {
    const result = await tx.run(ACCOUNTS_WITH_DEALS, { tenantId, after, limit });
    return result.records.map((r) => String(r.get("accountId")));
  }

  /** Writes every change in one statement; throws a (retryable) ConflictError when another evaluation changed a signal first. */
  async writeChanges(tx: GraphTransaction, tenantId: string, changes: readonly SignalChange[], now: Date, mintId: () => string): Promise<void> {
    if (changes.length === 0) return;
    const rows = changes.map((change) => ({
      signal_id: change.next.signalId,
      base: change.previous?.versionNumber ?? 0,
      version_id: mintId(),
      properties: signalProperties(change.next),
    }));
    const result = await tx.run(WRITE_CHANGES, { tenantId, now: now.toISOString(), changes: rows });
    const applied = new Set(result.records.map((r) => String(r.get("id"))));
    const stale = rows.filter((r) => !applied.has(r.signal_id)).map((r) => r.signal_id);
    if (stale.length > 0) throw new ConflictError(`risk signal(s) ${stale.join(", ")} changed since they were read; nothing was written`);
  }
}
