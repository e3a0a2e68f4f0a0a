import { randomUUID } from "node:crypto";
import { ConflictError } from "@dealgraph/errors";
import { mintEntityId, dealRef } from "@dealgraph/contracts";
import { DealGraphRepository, mergeDealRecord, newDealRecord, withNarrative } from "@dealgraph/deal-pipeline";
import { blankDeal, type ExtractedDeal } from "@dealgraph/extraction";
import type { GraphClient, InteractionFacts } from "@dealgraph/graph";
import { connectGraph, freshTenantId, testConfig } from "../support/services";

const config = testConfig();
let graph: GraphClient;
const tenants: string[] = [];
const repository = new DealGraphRepository();

const extracted = (overrides: Partial<ExtractedDeal> = {}): ExtractedDeal =>
  blankDeal({ name: "Fleet telemetry analytics platform", summary: "First call.", amount: 420000, currency: "USD", confidence: 0.8, ...overrides });
const vector = () => Array.from({ length: config.embeddings.dimension }, (_, i) => (i === 0 ? 1 : 0));

function facts(tenantId: string, interactionId: string, occurredAt: string): InteractionFacts {
  return { tenantId, accountId: "acct-1", interactionId, occurredAt, userId: "u", interactionType: "transcript", source: "api" };
}

beforeAll(async () => {
  graph = await connectGraph(config, "deals");
});

afterAll(async () => {
  await graph.write((tx) =>
    tx.run("MATCH (n) WHERE n.tenant_id IN $tenants AND (n:Deal OR n:DealVersion OR n:Interaction OR n:Account) DETACH DELETE n", { tenants }),
  );
  await graph.close();
});

describe("DealGraphRepository", () => {
  it("creates a deal, snapshots it before a later call changes it, and refuses to apply a call twice", async () => {
    const tenantId = freshTenantId();
    tenants.push(tenantId);
    const first = facts(tenantId, randomUUID(), "2026-03-02T15:00:00Z");
    const second = facts(tenantId, randomUUID(), "2026-03-16T15:00:00Z");
    const opportunityId = mintEntityId();
    const created = newDealRecord(
      extracted(),
      { opportunityId, dealRef: dealRef(opportunityId), tenantId, accountId: "acct-1" },
      { interactionId: first.interactionId, userId: "u" },
    );
    const { next, changedFields } = mergeDealRecord(created, [extracted({ amount: 450000, stage: "proposal" })], {
      interactionId: second.interactionId,
      userId: "u",
    });
    const merge = {
      record: withNarrative(next, { summary: "Second call.", evolutionSummary: "Budget confirmed." }),
      baseVersion: 1,
      versionId: mintEntityId(),
      changedFields,
      changeSummary: "Budget confirmed.",
      embeddingCurrent: null,
    };

    const apply = async () => {
      await graph.write((tx) =>
        repository.writeEnvelope(
          tx,
          first,
          { creates: [{ record: created, embedding: vector() }], merges: [] },
          { count: 1, outcome: { created: [created.opportunityId], merged: [] } },
        ),
      );
      return graph.write((tx) =>
        repository.writeEnvelope(tx, second, { creates: [], merges: [merge] }, { count: 1, outcome: { created: [], merged: [merge.record.opportunityId] } }),
      );
    };
    const written = await apply();
    // The write reads back, in its own statement, what it wrote: the merged deal with the version
    // it just made and both calls' links, and the stamped Interaction, as a later read sees them.
    const reread = await graph.read(async (tx) => {
      const interaction = await repository.readInteraction(tx, tenantId, second.interactionId);
      return { interaction: interaction?.properties ?? null, deals: await repository.readForProjection(tx, tenantId, interaction?.dealIds ?? []) };
    });
    expect(written).toEqual(reread);
    expect(written.deals[0]?.versions).toHaveLength(1);
    expect(written.deals[0]?.links.map((link) => link.relation).sort()).toEqual(["created", "updated"]);
    expect(written.interaction).toMatchObject({ interaction_id: second.interactionId, deal_count: 1 });
    // The second time the deal is at version 2 and already carries the interaction: a conflict,
    // and the transaction (stamp included) rolls back.
    await expect(apply()).rejects.toBeInstanceOf(ConflictError);

    const state = await graph.read(async (tx) => {
      const result = await tx.run(
        `MATCH (d:Deal {tenant_id: $tenantId})
         OPTIONAL MATCH (d)-[:HAS_VERSION]->(v:DealVersion)
         WITH d, collect(v {.version_number, .name, .amount, .stage, .changed_fields, .change_source_interaction_id, valid_until: toString(v.valid_until),
                    uncopied: [k IN keys(v) WHERE k IN ['embedding', 'embedding_current', 'embedding_revised', 'created_at', 'updated_at']]}) AS versions
         MATCH (d)-[:DISCUSSED_IN]->(i:Interaction)
         RETURN d {.amount, .stage, .version_number, .name, .deal_ref} AS deal, versions, count(i) AS interactions,
                size(d.embedding_current) AS dims`,
        { tenantId },
      );
      return result.records.map((r) => r.toObject());
    });
    expect(state).toEqual([
      {
        deal: { amount: 450000, stage: "proposal", version_number: 2, name: "Fleet telemetry analytics platform", deal_ref: dealRef(opportunityId) },
        versions: [
          {
            version_number: 1,
            name: "Fleet telemetry analytics platform",
            amount: 420000,
            stage: "qualification",
            changed_fields: ["stage", "amount"],
            change_source_interaction_id: second.interactionId,
            valid_until: "2026-03-16T15:00:00Z",
            // The snapshot copies the facts, not the vectors or the node's own timestamps.
            uncopied: [],
          },
        ],
        interactions: 2,
        dims: config.embeddings.dimension,
      },
    ]);
    const counts = await graph.read(async (tx) =>
      (await tx.run("MATCH (i:Interaction {tenant_id: $tenantId}) RETURN collect(i.deal_count) AS counts", { tenantId })).records[0]?.get("counts"),
    );
    expect(counts).toEqual([1, 1]);
  });
});
