import type { ManagedTransaction } from "neo4j-driver";
import type { DealRecord } from "../domain/deal-record";
import { dealProperties } from "../domain/deal-record";

/*
 * Writes of the deal graph for one envelope, each an UNWIND over all its deals so that an
 * envelope costs a fixed number of round trips however many deals it holds. Every statement is
 * scoped by tenant_id; values only ever travel as parameters.
 *
 * Idempotency: a deal is linked to every interaction that created or changed it
 * (`DISCUSSED_IN`); a merge whose interaction is already linked is skipped, so a replayed
 * envelope adds no version.
 */

export interface InteractionFacts {
  tenantId: string;
  accountId: string;
  interactionId: string;
  occurredAt: string;
  userId: string | null;
  interactionType: string;
  source: string;
}

const UPSERT_INTERACTION = `
MERGE (a:Account {tenant_id: $tenantId, account_id: $accountId})
  ON CREATE SET a.created_at = datetime()
MERGE (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
  ON CREATE SET i.account_id = $accountId, i.occurred_at = datetime($occurredAt), i.user_id = $userId,
                i.interaction_type = $interactionType, i.source = $source, i.created_at = datetime()
MERGE (i)-[:ABOUT]->(a)`;

const CREATE_DEALS = `
MATCH (a:Account {tenant_id: $tenantId, account_id: $accountId})
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND $deals AS d
MERGE (n:Deal {tenant_id: $tenantId, opportunity_id: d.opportunity_id})
  ON CREATE SET n += d.properties, n.embedding = d.embedding, n.embedding_current = d.embedding,
                n.valid_from = datetime($occurredAt), n.created_at = datetime(), n.updated_at = datetime()
MERGE (n)-[:FOR_ACCOUNT]->(a)
MERGE (n)-[:DISCUSSED_IN]->(i)
RETURN count(n) AS created`;

const READ_DEALS = `
UNWIND $ids AS id
MATCH (n:Deal {tenant_id: $tenantId, opportunity_id: id})
RETURN n {.*, embedding: null, embedding_current: null} AS deal,
       EXISTS { (n)-[:DISCUSSED_IN]->(:Interaction {tenant_id: $tenantId, interaction_id: $interactionId}) } AS applied`;

/*
 * The snapshot is the node as it was, taken before SET; its validity ends when this
 * interaction happened, and the next version's begins.
 */
const MERGE_DEALS = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND $merges AS m
MATCH (n:Deal {tenant_id: $tenantId, opportunity_id: m.opportunity_id})
WHERE NOT EXISTS { (n)-[:DISCUSSED_IN]->(i) }
CREATE (v:DealVersion)
SET v = properties(n)
REMOVE v.embedding, v.embedding_current, v.created_at, v.updated_at
SET v.version_id = m.version_id, v.tenant_id = $tenantId, v.opportunity_id = n.opportunity_id,
    v.version_number = n.version_number, v.valid_until = datetime($occurredAt),
    v.changed_fields = m.changed_fields, v.change_summary = m.change_summary,
    v.change_source_interaction_id = $interactionId, v.recorded_at = datetime()
CREATE (n)-[:HAS_VERSION]->(v)
SET n += m.properties, n.valid_from = datetime($occurredAt), n.updated_at = datetime()
FOREACH (_ IN CASE WHEN m.embedding_current IS NULL THEN [] ELSE [1] END | SET n.embedding_current = m.embedding_current)
MERGE (n)-[:DISCUSSED_IN]->(i)
RETURN n.opportunity_id AS id`;

const STAMP_INTERACTION = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
SET i.deal_count = $dealCount, i.processed_at = datetime()`;

export interface DealMergeWrite {
  record: DealRecord;
  versionId: string;
  changedFields: string[];
  changeSummary: string;
  /** Null keeps the stored `embedding_current` (the summary did not change materially). */
  embeddingCurrent: number[] | null;
}

export class DealGraphRepository {
  async upsertInteraction(tx: ManagedTransaction, facts: InteractionFacts): Promise<void> {
    await tx.run(UPSERT_INTERACTION, { ...facts });
  }

  async createDeals(
    tx: ManagedTransaction,
    facts: InteractionFacts,
    deals: ReadonlyArray<{ record: DealRecord; embedding: number[] }>,
  ): Promise<void> {
    if (deals.length === 0) return;
    await tx.run(CREATE_DEALS, {
      ...facts,
      deals: deals.map((d) => ({ opportunity_id: d.record.opportunityId, properties: dealProperties(d.record), embedding: d.embedding })),
    });
  }

  /** The stored deals by id, and whether this interaction has already been applied to each. */
  async readDeals(
    tx: ManagedTransaction,
    facts: InteractionFacts,
    ids: readonly string[],
  ): Promise<Array<{ deal: Record<string, unknown>; applied: boolean }>> {
    if (ids.length === 0) return [];
    const result = await tx.run(READ_DEALS, { tenantId: facts.tenantId, interactionId: facts.interactionId, ids: [...ids] });
    return result.records.map((r) => ({ deal: r.get("deal") as Record<string, unknown>, applied: r.get("applied") as boolean }));
  }

  /** Snapshots and updates; returns the ids actually changed (replayed ones are skipped). */
  async mergeDeals(tx: ManagedTransaction, facts: InteractionFacts, merges: readonly DealMergeWrite[]): Promise<string[]> {
    if (merges.length === 0) return [];
    const result = await tx.run(MERGE_DEALS, {
      tenantId: facts.tenantId,
      interactionId: facts.interactionId,
      occurredAt: facts.occurredAt,
      merges: merges.map((m) => ({
        opportunity_id: m.record.opportunityId,
        version_id: m.versionId,
        changed_fields: m.changedFields,
        change_summary: m.changeSummary,
        properties: dealProperties(m.record),
        embedding_current: m.embeddingCurrent,
      })),
    });
    return result.records.map((r) => String(r.get("id")));
  }

  async stampInteraction(tx: ManagedTransaction, facts: InteractionFacts, dealCount: number): Promise<void> {
    await tx.run(STAMP_INTERACTION, { tenantId: facts.tenantId, interactionId: facts.interactionId, dealCount });
  }
}
