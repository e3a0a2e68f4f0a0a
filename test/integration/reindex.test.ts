import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GraphClient, applyGraphSchema, vectorIndexName } from "@dealgraph/graph";
import { createLlmProvider } from "@dealgraph/llm";
import { CandidateSearch } from "@dealgraph/matching";
import { createDatabase, withTenant, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { freePort } from "../support/free-port";
import { actionItemPipeline, dealPipeline, deleteTenantRows, envelopeMaker } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";
import { startLauncher, stopLauncher } from "../support/throwaway-neo4j";

/*
 * Moving to an embedding model of another size: a graph whose vector indexes were built for 8
 * dimensions refuses to start with the command that fixes it, `dealgraph reindex` reports what it
 * would change, and `reindex --yes` rebuilds the indexes at the configured size, re-embeds every
 * node (vector search finds the deal again) and re-projects the tenant. On a Neo4j of its own, so
 * the shared servers keep their indexes.
 */

const config = testConfig();
const password = "reindex-test-pw";
const TEXT = [
  "Omar Reyes (Slotwise): Our warehouse slotting optimisation service re-ranks every pick face weekly.",
  "Omar Reyes (Slotwise): For your two sites it would be 120,000 euros a year.",
  "Nora Quist (Baltic Shelving): I'll send you the order history for both sites by Friday.",
].join("\n");

describe("dealgraph reindex", () => {
  let home: string;
  let neo4j: ChildProcess;
  let graph: GraphClient;
  let db: Kysely<Database>;
  let env: NodeJS.ProcessEnv;
  const tenantId = freshTenantId();

  beforeAll(async () => {
    execFileSync("bash", [path.resolve(__dirname, "../../scripts/services.sh"), "build-neo4j", "--quiet"], { stdio: "inherit" });
    home = await mkdtemp(path.join(tmpdir(), "dealgraph-reindex-"));
    const port = await freePort();
    neo4j = await startLauncher(home, port, password);
    const uri = `bolt://127.0.0.1:${port}`;
    // Both graphs on one server: DESIGN §7 allows it, and the test needs only one throwaway.
    env = { NEO4J_URI: uri, NEO4J_PASSWORD: password, DEAL_NEO4J_URI: uri, DEAL_NEO4J_PASSWORD: password };
    graph = GraphClient.connect({ uri, user: "neo4j", password, database: "neo4j" }, { name: "reindex-test" });
    await migratedPostgres(config);
    db = createDatabase({ url: config.postgres.url });
  }, 600_000);

  afterAll(async () => {
    await deleteTenantRows(config, [tenantId]);
    await Promise.allSettled([graph?.close(), db?.destroy()]);
    if (neo4j) await stopLauncher(neo4j);
    await rm(home, { recursive: true, force: true });
  });

  it("refuses a graph of another vector size, then rebuilds, re-embeds and re-projects it", async () => {
    // A graph written with the configured model, whose indexes are then those of an older 8-dimension one.
    await applyGraphSchema(graph, "action_items", config.embeddings.dimension);
    await applyGraphSchema(graph, "deals", config.embeddings.dimension);
    const llm = createLlmProvider(config);
    const next = envelopeMaker(TEXT, "2026-06-01T09:00:00Z");
    const envelope = next(tenantId, { content: { text: TEXT, format: "diarized" } });
    const deals = await dealPipeline(config, graph, db, llm).process(envelope);
    // Both graphs share this one server, and so the Interaction node: the item pipeline gets an interaction of its own.
    const items = await actionItemPipeline(config, graph, db, llm).process(next(tenantId, { content: { text: TEXT, format: "diarized" } }));
    expect({ deals: deals.created.length, items: items.created.length, errors: [...deals.errors, ...items.errors] }).toEqual({
      deals: 1,
      items: 1,
      errors: [],
    });
    const names = [vectorIndexName("Deal", "embedding"), vectorIndexName("Deal", "embedding_current")];
    for (const name of names) await graph.runSchemaCommand(`DROP INDEX ${name} IF EXISTS`);
    await applyGraphSchema(graph, "action_items", config.embeddings.dimension);
    for (const name of names) {
      await graph.runSchemaCommand(
        `CREATE VECTOR INDEX ${name} IF NOT EXISTS FOR (n:Deal) ON n.${name.includes("current") ? "embedding_current" : "embedding"} OPTIONS { indexConfig: { \`vector.dimensions\`: 8, \`vector.similarity_function\`: 'cosine' } }`,
      );
    }
    await expect(applyGraphSchema(graph, "deals", config.embeddings.dimension)).rejects.toThrow(/has 8 dimensions.*pnpm dealgraph reindex --yes/);

    const report = await dealgraph(["reindex"], env);
    expect(report.code).toBe(1);
    expect(report.stdout).toMatch(/deals graph: vector indexes of another size than \d+: .*\(8\)/);
    expect(report.stdout).toContain("run again with --yes");

    const done = await dealgraph(["reindex", "--yes", "--json"], env);
    expect({ code: done.code, stderr: done.code === 0 ? "" : done.stderr }).toEqual({ code: 0, stderr: "" });
    const result = JSON.parse(done.stdout) as { written: Record<string, Record<string, number>> };
    expect(result.written.deals?.Deal).toBeGreaterThanOrEqual(1);
    expect(result.written.action_items?.ActionItem).toBeGreaterThanOrEqual(1);

    await expect(applyGraphSchema(graph, "deals", config.embeddings.dimension)).resolves.toBeUndefined();
    // Vector search over the rebuilt index finds the deal by its own embedding again.
    const stored = await graph.read(async (tx) => {
      const r = await tx.run("MATCH (d:Deal {tenant_id: $tenantId}) RETURN d.embedding AS e, d.opportunity_id AS id", { tenantId });
      return { embedding: r.records[0]?.get("e") as number[], id: r.records[0]?.get("id") as string };
    });
    const found = await new CandidateSearch(graph, "deal").find(tenantId, envelope.account_id ?? "", [
      { key: "probe", embedding: Array.from(stored.embedding) },
    ]);
    expect(stored.embedding).toHaveLength(config.embeddings.dimension);
    expect(found[0]?.hits.map((h) => h.id)).toContain(stored.id);
    const rows = await withTenant(db, tenantId, (trx) =>
      trx.selectFrom("opportunities").select("graph_opportunity_id").where("tenant_id", "=", tenantId).execute(),
    );
    expect(rows.map((r) => r.graph_opportunity_id)).toEqual([stored.id]);
  });
});
