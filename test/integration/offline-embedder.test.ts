import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "@dealgraph/errors";
import type { GraphClient } from "@dealgraph/graph";
import { OnnxSentenceEmbedder, cosineSimilarity, createLlmProvider } from "@dealgraph/llm";
import { createDatabase, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { SuiteTenants, dealPipeline, deleteTenantData, envelopeMaker } from "../support/pipelines";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * The offline provider's sentence model, as installed by scripts/models.sh: what its scores mean
 * (paraphrases close, unrelated sentences far), that batching does not change a vector, and that
 * the deal pipeline built on it merges one deal told in two calls' own words while keeping two
 * deals of one account apart.
 */

const config = testConfig();
const offline = config.llm;
if (offline.provider !== "offline") throw new Error("these tests run the offline provider");
const model = offline.embeddingModel;

/** Margins measured per catalogued model (README "Language models"). */
const MARGINS: Record<string, { paraphrase: number; unrelated: number }> = {
  "all-minilm-l6-v2-q": { paraphrase: 0.6, unrelated: 0.3 },
  "all-minilm-l6-v2": { paraphrase: 0.6, unrelated: 0.3 },
  "bge-small-en-v15-q": { paraphrase: 0.75, unrelated: 0.62 },
  "e5-small-v2-q": { paraphrase: 0.88, unrelated: 0.8 },
};

describe(`the offline sentence model (${model.name})`, () => {
  const embedder = OnnxSentenceEmbedder.open(model, offline.modelDir);
  const margins = MARGINS[model.name]!;

  it("puts paraphrases close together and unrelated sentences far apart", async () => {
    const paraphrases: Array<[string, string]> = [
      ["I will send you the proposal tomorrow.", "You will get the proposal from me tomorrow."],
      ["Can you send me the signed contract?", "Please email me the contract once it is signed."],
      ["The installation is booked for next Tuesday.", "We scheduled the install for Tuesday next week."],
    ];
    const unrelated: Array<[string, string]> = [
      ["I will send you the proposal tomorrow.", "The cafeteria serves soup on Fridays."],
      ["Can you send me the signed contract?", "Our dog loves running on the beach."],
      ["The installation is booked for next Tuesday.", "Photosynthesis turns light into chemical energy."],
    ];
    const score = async ([a, b]: [string, string]) => {
      const [va, vb] = await embedder.embed([a, b]);
      return cosineSimilarity(va!, vb!);
    };
    for (const pair of paraphrases) expect({ pair, score: (await score(pair)) > margins.paraphrase }).toEqual({ pair, score: true });
    for (const pair of unrelated) expect({ pair, score: (await score(pair)) < margins.unrelated }).toEqual({ pair, score: true });
  });

  it("returns unit vectors of the configured size, the same alone as in a batch of other lengths", async () => {
    const texts = [
      "Short one.",
      "A much longer sentence about a warehouse management migration across six sites and two data centres.",
      "Mid-length text here.",
    ];
    const batch = await embedder.embed(texts);
    const alone = await OnnxSentenceEmbedder.open(model, offline.modelDir).embed([texts[1]!]);
    expect(batch.map((v) => v.length)).toEqual([config.embeddings.dimension, config.embeddings.dimension, config.embeddings.dimension]);
    for (const v of batch) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    // Not exactly equal: the int8 model quantises activations with scales taken over the whole
    // batch, padding included (batches are cut by length to keep this small).
    expect(cosineSimilarity(batch[1]!, alone[0]!)).toBeGreaterThan(0.98);
  });

  it("refuses to start without the model files, naming the variable and the command that installs them", () => {
    const missing = path.join(offline.modelDir, "..", "no-models-here");
    expect(existsSync(missing)).toBe(false);
    expect(() => OnnxSentenceEmbedder.open(model, missing)).toThrow(ConfigError);
    expect(() => OnnxSentenceEmbedder.open(model, missing)).toThrow(/OFFLINE_MODEL_DIR.*bash scripts\/models\.sh/);
  });
});

describe("the deal pipeline on the offline model", () => {
  let graph: GraphClient;
  let db: Kysely<Database>;
  const suite = new SuiteTenants();

  beforeAll(async () => {
    await migratedPostgres(config);
    graph = await connectGraph(config, "deals");
    db = createDatabase({ url: config.postgres.url });
  });

  afterAll(async () => {
    await deleteTenantData(config, [graph], suite.ids);
    await Promise.allSettled([graph.close(), db.destroy()]);
  });

  const first = [
    "Nora Quist (Baltic Shelving): Thanks for coming in. Our pickers walk far too much; orders ship late every Friday.",
    "Omar Reyes (Slotwise): Our warehouse slotting optimisation service re-ranks every pick face weekly from your order history.",
    "Omar Reyes (Slotwise): For your two sites it would be 120,000 euros a year.",
    "Nora Quist (Baltic Shelving): Our COO, Ilse Brandt, signs anything above 100,000 euros.",
  ].join("\n");
  const second = [
    "Omar Reyes (Slotwise): Following up on the slotting work we talked about last time.",
    "Nora Quist (Baltic Shelving): Ilse read the proposal and wants the pick-path figures first.",
    "Omar Reyes (Slotwise): Understood. The slotting optimisation stays at 120,000 euros a year.",
    "Omar Reyes (Slotwise): Separately, the forklift telematics add-on would be 30,000 euros a year for forty trucks.",
  ].join("\n");

  it("merges one deal described in other words and keeps another deal of the account apart", async () => {
    const tenantId = suite.next();
    const pipeline = dealPipeline(config, graph, db, createLlmProvider(config));
    const envelope = envelopeMaker(first, "2026-06-01T09:00:00Z");
    const one = await pipeline.process(envelope(tenantId, { content: { text: first, format: "diarized" } }));
    expect(one.created).toHaveLength(1);
    const two = await pipeline.process(envelope(tenantId, { content: { text: second, format: "diarized" } }));
    expect({ created: two.created.length, merged: two.merged }).toEqual({ created: 1, merged: one.created });

    const deals = await graph.read(async (tx) => {
      const result = await tx.run("MATCH (d:Deal {tenant_id: $tenantId}) RETURN d.name AS name, d.amount AS amount ORDER BY d.amount DESC", { tenantId });
      return result.records.map((r) => ({ name: r.get("name") as string, amount: Number(r.get("amount")) }));
    });
    expect(deals.map((d) => d.amount)).toEqual([120000, 30000]);
    expect(deals[1]?.name).toMatch(/telematics/i);
  });
});
