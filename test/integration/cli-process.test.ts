import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GraphClient } from "@dealgraph/graph";
import { corpusInFreshTenants, deleteTenantData } from "../support/pipelines";
import { dealgraph } from "../support/run-cli";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

interface Report {
  file: string;
  interactionId: string | null;
  error: { code: string; message: string } | null;
  deals: { status: string; created: string[]; merged: string[]; dealCount: number; projection: { status: string } } | null;
}

const config = testConfig();
let dir: string;
let graph: GraphClient;
const tenants: string[] = [];

beforeAll(async () => {
  await migratedPostgres(config);
  graph = await connectGraph(config, "deals");
  dir = await mkdtemp(path.join(tmpdir(), "dealgraph-process-"));
});

afterAll(async () => {
  await deleteTenantData(config, [graph], tenants);
  await graph.close();
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
    expect(first?.deals).toMatchObject({ status: "processed", dealCount: 1, projection: { status: "projected" } });
    expect(invalid?.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringContaining("timestamp") });
    expect(second?.deals?.merged).toEqual(first?.deals?.created);

    const again = await dealgraph(["process", files[1] ?? ""], { LLM_PROVIDER: "offline" });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("deals: already_applied");
  });

  it("asks for files or --corpus", async () => {
    const { code, stderr } = await dealgraph(["process"]);
    expect(code).toBe(2);
    expect(stderr).toContain("at least one envelope file");
  });
});
