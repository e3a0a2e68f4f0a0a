import type { GraphName } from "@dealgraph/config";
import { randomUUID } from "node:crypto";
import type { GraphClient } from "@dealgraph/graph";

const BATCH = 10_000;

/**
 * Writes a large tenant straight into the graphs (no model, no pipeline): `items` action items
 * under `topics` topics from one interaction, and `deals` deals from one interaction of the
 * deal graph, with every property the projection reads and a revision on each node, as the
 * pipelines' writes leave them. For scale tests and benchmarks.
 */
export async function seedScaleTenant(
  graphs: Record<GraphName, GraphClient>,
  tenantId: string,
  size: { items: number; topics: number; deals: number },
): Promise<void> {
  const interactionId = randomUUID();
  const accountId = "acct-scale";
  const topics = Array.from({ length: size.topics }, (_, i) => ({ topic_id: randomUUID(), name: `Topic ${i}`, normalized_name: `topic ${i}` }));
  await graphs.action_items.write(async (tx) => {
    await tx.run(
      `CREATE (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId, account_id: $accountId, interaction_type: "transcript",
                              source: "api", occurred_at: datetime(), processed_at: datetime(), action_item_count: $items, revision: toInteger(rand() * 4503599627370496)})
       WITH i UNWIND $topics AS t
       CREATE (n:Topic {tenant_id: $tenantId, topic_id: t.topic_id, account_id: $accountId, name: t.name, normalized_name: t.normalized_name,
                        summary: null, version_number: 1, source_interaction_id: $interactionId, created_at: datetime(), updated_at: datetime(),
                        revision: toInteger(rand() * 4503599627370496)})
       CREATE (n)-[:DISCUSSED_IN {relation: "created"}]->(i)`,
      { tenantId, interactionId, accountId, topics, items: size.items },
    );
  });
  for (let start = 0; start < size.items; start += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, size.items - start) }, (_, i) => {
      const n = start + i;
      return {
        action_item_id: randomUUID(),
        text: `Send the pilot report number ${n}`,
        normalized_text: `send the pilot report number ${n}`,
        topic_id: topics[n % size.topics]?.topic_id,
      };
    });
    await graphs.action_items.write(async (tx) => {
      await tx.run(
        `MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
         UNWIND $items AS item
         MATCH (t:Topic {tenant_id: $tenantId, topic_id: item.topic_id})
         CREATE (n:ActionItem {tenant_id: $tenantId, action_item_id: item.action_item_id, account_id: $accountId, text: item.text,
                               normalized_text: item.normalized_text, status: "open", topic_id: item.topic_id, confidence: 0.8,
                               version_number: 1, source_interaction_id: $interactionId, created_at: datetime(), updated_at: datetime(),
                               revision: toInteger(rand() * 4503599627370496)})
         CREATE (n)-[:BELONGS_TO]->(t)
         CREATE (n)-[:EXTRACTED_FROM {relation: "created"}]->(i)`,
        { tenantId, interactionId, accountId, items },
      );
    });
  }
  if (size.deals === 0) return;
  const dealInteraction = randomUUID();
  await graphs.deals.write((tx) =>
    tx.run(
      `CREATE (:Interaction {tenant_id: $tenantId, interaction_id: $interactionId, account_id: $accountId, interaction_type: "transcript",
                             source: "api", occurred_at: datetime(), processed_at: datetime(), deal_count: $deals, revision: toInteger(rand() * 4503599627370496)})`,
      { tenantId, interactionId: dealInteraction, accountId, deals: size.deals },
    ),
  );
  for (let start = 0; start < size.deals; start += BATCH) {
    const deals = Array.from({ length: Math.min(BATCH, size.deals - start) }, (_, i) => {
      const opportunityId = randomUUID();
      return {
        opportunity_id: opportunityId,
        deal_ref: `deal_${opportunityId.replace(/-/g, "").slice(-16)}`,
        name: `Deal ${start + i}`,
        normalized_name: `deal ${start + i}`,
      };
    });
    await graphs.deals.write((tx) =>
      tx.run(
        `MATCH (i:Interaction {tenant_id: $tenantId, interaction_id: $interactionId})
         UNWIND $deals AS d
         CREATE (n:Deal {tenant_id: $tenantId, opportunity_id: d.opportunity_id, deal_ref: d.deal_ref, account_id: $accountId, name: d.name,
                         normalized_name: d.normalized_name, stage: "qualification", amount: 50000.0, currency: "USD", summary: "A seeded deal.",
                         meddic_metrics: "Save ten hours a week", meddic_metrics_confidence: 0.7, dim_identified_pain: 2, dim_identified_pain_confidence: 0.6,
                         meddic_completeness: 0.1666, ontology_completeness: 0.0666, confidence: 0.7, version_number: 1,
                         source_interaction_id: $interactionId, created_at: datetime(), updated_at: datetime(), valid_from: datetime(),
                         revision: toInteger(rand() * 4503599627370496)})
         CREATE (n)-[:DISCUSSED_IN {relation: "created"}]->(i)`,
        { tenantId, interactionId: dealInteraction, accountId, deals },
      ),
    );
  }
}
