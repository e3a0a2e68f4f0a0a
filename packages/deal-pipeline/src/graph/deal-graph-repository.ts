import {
  VersionedNodes,
  JointStatement,
  mergeParameters,
  propertiesFromPairs,
  propertyPairsWithoutVectors,
  readInteractionWithIds,
  stampParameters,
  stampedInteraction,
  stampedInteractionCypher,
} from "@dealgraph/graph";
import type { GraphTransaction, InteractionFacts, MergeWrite, ProjectedNode } from "@dealgraph/graph";
import type { DealRecord } from "../domain/deal-record";
import { dealProperties } from "../domain/deal-record";

/*
 * Reads and writes of the deal graph for one envelope: stage 0 is one statement, and so is the
 * whole write (each kind of change an UNWIND over all the envelope's deals), so an envelope
 * costs a fixed number of round trips however many deals it holds. Every statement is scoped by
 * tenant_id; values only ever travel as parameters.
 *
 * Idempotency: the envelope's writes and the `processed_at` stamp on its Interaction
 * (`stampedInteractionCypher` in @dealgraph/graph) commit in one statement. A deal is linked to
 * every interaction that created or changed it (`DISCUSSED_IN`, with the relation on the
 * relationship), which is also the provenance the projection carries.
 */

/*
 * Stage 0 in one read: whether the interaction was applied, the targeted deal if any (its stored
 * record, which the merge into it starts from), and the names of the account's open deals (most recently changed first), which the extraction uses to
 * name a deal the conversation continues exactly as it is stored.
 */
const READ_ENVELOPE_STATE = `
OPTIONAL MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
OPTIONAL MATCH (d:Deal {tenant_id: $tenantId, opportunity_id: $opportunityId})
RETURN i.processed_at IS NOT NULL AS applied, CASE WHEN d IS NULL THEN null ELSE ${propertyPairsWithoutVectors("d")} END AS target,
       COLLECT {
         MATCH (k:Deal {tenant_id: $tenantId, account_id: $accountId})
         WHERE NOT k.stage IN ['closed_won', 'closed_lost']
         RETURN k.name ORDER BY k.updated_at DESC LIMIT toInteger($knownLimit)
       } AS knownDeals`;

/** How many open deals of the account the extraction is told about. */
const KNOWN_DEALS_LIMIT = 25;

/** What a candidate search returns of each candidate deal: its stored record, for a merge into it (see dealCandidateRecord). */
export const DEAL_CANDIDATE_RECORD = propertyPairsWithoutVectors("n");

/** A candidate's record as DEAL_CANDIDATE_RECORD read it: the deal's plain properties. */
export const dealCandidateRecord = (record: unknown): Record<string, unknown> => propertiesFromPairs(record);

/*
 * Optimistic concurrency: a merge applies only to the version it was computed from
 * (`base_version`) and only once per interaction. The snapshot is the node as it was, taken
 * before SET; its validity ends when this interaction happened, and the next version's begins.
 */
const MERGE_DEALS = (versionedUpdate: string, merges: string) => `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
UNWIND ${merges} AS m
MATCH (n:Deal {tenant_id: $tenantId, opportunity_id: m.id})
WHERE n.version_number = m.base_version AND NOT EXISTS { (n)-[:DISCUSSED_IN]->(i) }
${versionedUpdate}
MERGE (n)-[r:DISCUSSED_IN]->(i)
  ON CREATE SET r.relation = 'updated', r.at = datetime()
RETURN n.opportunity_id AS row`;

const READ_INTERACTION = `
MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
RETURN i {.*} AS interaction,
       COLLECT { MATCH (d:Deal {tenant_id: $tenantId})-[:DISCUSSED_IN]->(i) RETURN d.opportunity_id } AS dealIds`;

export type DealMergeWrite = MergeWrite<DealRecord>;

export interface EnvelopeState {
  /** The interaction's deals were written and stamped by an earlier run. */
  applied: boolean;
  /** The targeted deal, if the envelope named one and it exists in the tenant, with its stored properties. */
  target: { opportunityId: string; accountId: string; name: string; properties: Record<string, unknown> } | null;
  /** Names of the account's open deals, most recently changed first. */
  knownDeals: string[];
}

/** A deal as the projection needs it; an interaction either created or changed it. */
export type StoredDeal = ProjectedNode<"created" | "updated">;

const DEALS = new VersionedNodes<StoredDeal>({
  label: "Deal",
  linkType: "DISCUSSED_IN",
  noun: "deal",
  createRest: `
WITH n, d
MATCH (a:Account {tenant_id: $tenantId, account_id: $accountId})
MERGE (n)-[:FOR_ACCOUNT]->(a)`,
  merge: MERGE_DEALS,
});

/** What the projection writes of an envelope: its Interaction's properties and the deals linked to it. */
export interface DealProjectionSource {
  interaction: Record<string, unknown> | null;
  deals: StoredDeal[];
}

/** The envelope's whole write, and the read-back of what the projection needs, as one statement. */
const WRITE_ENVELOPE = new JointStatement({
  interaction: stampedInteractionCypher("deals"),
  created: DEALS.createPart,
  merged: DEALS.mergePart,
  deals: DEALS.linkedPart,
});

export class DealGraphRepository {
  async readEnvelopeState(tx: GraphTransaction, facts: InteractionFacts, opportunityId: string | null): Promise<EnvelopeState> {
    const result = await tx.run(READ_ENVELOPE_STATE, {
      tenantId: facts.tenantId,
      accountId: facts.accountId,
      interactionId: facts.interactionId,
      opportunityId,
      knownLimit: KNOWN_DEALS_LIMIT,
    });
    const row = result.records[0];
    const target = row?.get("target") ? propertiesFromPairs(row.get("target")) : null;
    return {
      applied: row?.get("applied") === true,
      target: target
        ? { opportunityId: String(target.opportunity_id), accountId: String(target.account_id), name: String(target.name), properties: target }
        : null,
      knownDeals: ((row?.get("knownDeals") as string[] | undefined) ?? []).map(String),
    };
  }

  /**
   * The envelope's write in one statement: the Interaction with its stamp, the new deals, the
   * merges (each snapshotted and updated), and what the projection writes of it read back. Throws
   * a (retryable) ConflictError, rolling the transaction back, when any merged deal changed since
   * it was read or already carries this interaction.
   */
  async writeEnvelope(
    tx: GraphTransaction,
    facts: InteractionFacts,
    planned: { creates: ReadonlyArray<{ record: DealRecord; embedding: number[] }>; merges: readonly DealMergeWrite[] },
    stamp: { count: number; outcome: unknown },
  ): Promise<DealProjectionSource> {
    const creates = planned.creates.map((d) => ({ id: d.record.opportunityId, properties: dealProperties(d.record), embedding: d.embedding }));
    const merges = planned.merges.map((m) => mergeParameters(m, m.record.opportunityId, dealProperties(m.record)));
    const written = await WRITE_ENVELOPE.run(tx, {
      ...stampParameters(facts, stamp),
      ...DEALS.createParameters(creates),
      ...DEALS.mergeParameters(merges),
    });
    DEALS.checkMerged(merges, written.merged ?? []);
    return { interaction: stampedInteraction(written.interaction), deals: DEALS.decode(written.deals ?? [], () => ({})) };
  }

  /** The interaction's properties and the deals it created or changed; null if it is not in the graph. */
  readInteraction(tx: GraphTransaction, tenantId: string, interactionId: string) {
    return readInteractionWithIds(tx, READ_INTERACTION, tenantId, interactionId, ["dealIds"]);
  }

  /** Deals with their versions and interaction links, as the Postgres projection needs them. */
  readForProjection(tx: GraphTransaction, tenantId: string, ids: readonly string[]): Promise<StoredDeal[]> {
    return DEALS.readForProjection(tx, tenantId, ids, () => ({}));
  }
}
