import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GraphClient } from "@dealgraph/graph";
import { corpusInFreshTenants, deleteTenantData } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

interface Side<Result> {
  result: Result | null;
  error: { code: string; message: string } | null;
}
interface Report {
  file: string;
  interactionId: string | null;
  error: { code: string; message: string } | null;
  actionItems: Side<{ status: string; created: string[]; updated: string[]; itemCount: number; projection: { status: string } }>;
  deals: Side<{ status: string; created: string[]; merged: string[]; dealCount: number; projection: { status: string } }>;
}

const config = testConfig();
let dir: string;
let graph: GraphClient;
let aiGraph: GraphClient;
const tenants: string[] = [];

beforeAll(async () => {
  await migratedPostgres(config);
  graph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  dir = await mkdtemp(path.join(tmpdir(), "dealgraph-process-"));
});

afterAll(async () => {
  await deleteTenantData(config, [graph, aiGraph], tenants);
  await Promise.all([graph.close(), aiGraph.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe("dealgraph process", () => {
  it("runs EnvelopeV1 files in the order given, reports each, and goes on past a bad one", async () => {
    const corpus = await corpusInFreshTenants();
    tenants.push(...Object.values(corpus.tenants));
    const files: string[] = [];
    for (const name of ["northwind-01-discovery", "northwind-02-pilot-scoping"]) {
      const entry = corpus.entries.find((e) => e.name === name);
      const file = path.join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(entry?.envelope));
      files.push(file);
    }
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ ...corpus.entries[0]?.envelope, timestamp: "yesterday" }));

    const { code, stdout } = await dealgraph(["process", files[0] ?? "", bad, files[1] ?? "", "--json"], { LLM_PROVIDER: "offline" });
    expect(code).toBe(1);
    const reports = JSON.parse(stdout) as Report[];
    expect(reports.map((r) => path.basename(r.file))).toEqual(["northwind-01-discovery.json", "bad.json", "northwind-02-pilot-scoping.json"]);
    const [first, invalid, second] = reports;
    expect(first?.deals.result).toMatchObject({ status: "processed", dealCount: 1, projection: { status: "projected" } });
    expect(first?.actionItems.result).toMatchObject({ status: "processed", projection: { status: "projected" } });
    expect(first?.actionItems.result?.created.length).toBeGreaterThan(0);
    expect(invalid?.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("timestamp") });
    expect(invalid?.deals.result).toBeNull();
    expect(second?.deals.result?.merged).toEqual(first?.deals.result?.created);
    expect(second?.actionItems.result?.updated.length).toBeGreaterThan(0);

    const again = await dealgraph(["process", files[1] ?? ""], { LLM_PROVIDER: "offline" });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("action items: already_applied");
    expect(again.stdout).toContain("deals: already_applied");
  });

  it("reports one pipeline's failure without stopping the other", async () => {
    const corpus = await corpusInFreshTenants();
    tenants.push(...Object.values(corpus.tenants));
    const { account_id: _omitted, ...envelope } = corpus.entries[0]?.envelope ?? {};
    const file = path.join(dir, "no-account.json");
    await writeFile(file, JSON.stringify(envelope));
    const { code, stdout } = await dealgraph(["process", file, "--json"], { LLM_PROVIDER: "offline" });
    expect(code).toBe(1);
    const [report] = JSON.parse(stdout) as Report[];
    expect(report?.deals.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("account_id") });
    expect(report?.actionItems.result).toMatchObject({ status: "processed" });
  });

  it("asks for files or --corpus", async () => {
    const { code, stderr } = await dealgraph(["process"]);
    expect(code).toBe(2);
    expect(stderr).toContain("at least one envelope file");
  });
});
