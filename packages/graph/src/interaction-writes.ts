import type { GraphClient, GraphTransaction } from "./graph-client";
import { plainProperties } from "./plain-values";
import { newRevision } from "./revision";

/*
 * The Account and Interaction nodes both graphs keep (DESIGN §5, §6), written the same way by
 * both pipelines. An interaction's `processed_at` is stamped in the same transaction as the
 * pipeline's writes, so a stamped interaction has been applied completely and a replay skips it.
 */

/** The envelope's facts that the Interaction node records. */
export interface InteractionFacts {
  tenantId: string;
  accountId: string;
  interactionId: string;
  occurredAt: string;
  userId: string | null;
  interactionType: string;
  source: string;
  /** Who spoke, from the transcript's labels (@dealgraph/extraction `speakersOf`); risk signals tell the buyer's people from the seller's by it. */
  speakers?: ReadonlyArray<{ name: string; org: string | null }>;
}

/** The facts as statement parameters: everything but the speakers, which only the Interaction's own write reads. */
export function factParameters(facts: InteractionFacts): Omit<InteractionFacts, "speakers"> {
  const { speakers: _speakers, ...rest } = facts;
  return rest;
}

/** The Interaction write's parameters: the speakers travel as one JSON property (Neo4j stores no maps). */
function interactionParameters(facts: InteractionFacts) {
  return { ...factParameters(facts), speakersJson: facts.speakers === undefined ? null : JSON.stringify(facts.speakers) };
}

const UPSERT_INTERACTION = `
MERGE (a:Account {tenant_id: $tenantId, account_id: $accountId})
  ON CREATE SET a.created_at = datetime()
MERGE (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
  ON CREATE SET i.account_id = $accountId, i.occurred_at = datetime($occurredAt), i.user_id = $userId,
                i.interaction_type = $interactionType, i.source = $source, i.speakers_json = $speakersJson,
                i.created_at = datetime(), ${newRevision("i")}
MERGE (i)-[:ABOUT]->(a)`;

/** Which count each graph stamps; the property name is spliced from this list, never from data. */
const COUNT_PROPERTIES = { deals: "deal_count", action_items: "action_item_count" } as const;
/** Where each graph keeps the ids its run created and changed (JSON); spliced from this list too. */
const OUTCOME_PROPERTIES = { deals: "deals_outcome", action_items: "action_items_outcome" } as const;

export async function upsertInteraction(tx: GraphTransaction, facts: InteractionFacts): Promise<void> {
  await tx.run(UPSERT_INTERACTION, interactionParameters(facts));
}

/**
 * The Interaction with stage 4's stamp as a part of the envelope's write statement (see
 * JointStatement): how many records the interaction created or changed, what they were, and that
 * it is done; its properties come back as `row`, for the projection. It runs in the statement
 * that writes those records, so the stamp commits with them or not at all; first, so that the
 * records' links find the Interaction already there. Parameters: `stampParameters`.
 */
export function stampedInteractionCypher(graph: keyof typeof COUNT_PROPERTIES): string {
  return `${UPSERT_INTERACTION}
SET i.${COUNT_PROPERTIES[graph]} = $count, i.${OUTCOME_PROPERTIES[graph]} = $outcome, i.processed_at = datetime(), ${newRevision("i")}
RETURN i {.*} AS row`;
}

/** The part's parameters: the envelope's facts (every other part's too) and the stamp. */
export function stampParameters(facts: InteractionFacts, stamp: { count: number; outcome: unknown }): Record<string, unknown> {
  return { ...interactionParameters(facts), count: stamp.count, outcome: JSON.stringify(stamp.outcome) };
}

/** The stamped Interaction's properties as plain values, from the rows its part returned (null: none). */
export function stampedInteraction(rows: readonly unknown[] | undefined): Record<string, unknown> | null {
  const [interaction] = rows ?? [];
  return interaction ? plainProperties(interaction as Record<string, unknown>) : null;
}

/**
 * What the interaction's run recorded when it was applied (the ids it created and changed), so
 * that a replay reports the original outcome instead of nothing; null for an interaction stamped
 * before outcomes were kept. The caller validates the shape.
 */
export function recordedOutcome(properties: Record<string, unknown>, graph: keyof typeof COUNT_PROPERTIES): unknown {
  const stored = properties[OUTCOME_PROPERTIES[graph]];
  if (typeof stored !== "string") return null;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return null;
  }
}

/** The stamped (processed) interactions among these ids, as plain properties: what a re-projection of their rows reads. */
export async function readProcessedInteractions(graph: GraphClient, tenantId: string, ids: readonly string[]): Promise<Array<Record<string, unknown>>> {
  return graph.read(async (tx) => {
    const result = await tx.run(
      "MATCH (n:Interaction {tenant_id: $tenantId}) WHERE n.interaction_id IN $ids AND n.processed_at IS NOT NULL RETURN n {.*} AS properties",
      {
        tenantId,
        ids: [...ids],
      },
    );
    return result.records.map((r) => plainProperties(r.get("properties") as Record<string, unknown>));
  });
}
