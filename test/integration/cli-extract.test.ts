import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadCorpus } from "@dealgraph/corpus";
import { dealgraph } from "../support/run-cli";

interface Report {
  provider: string;
  action_items: Array<{ text: string; owner_name: string | null }>;
  deals: Array<{ name: string; amount: number | null; meddic: Record<string, { text: string } | null>; ontology: Record<string, unknown> }>;
  warnings: string[];
  llm: { calls: number };
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dealgraph-extract-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("dealgraph extract", () => {
  it("prints both pipelines' extraction from an EnvelopeV1 file as JSON", async () => {
    const corpus = await loadCorpus();
    const entry = corpus.entries.find((e) => e.name === "harbor-01-discovery");
    const file = path.join(dir, "harbor.json");
    await writeFile(file, JSON.stringify(entry?.envelope));

    const { code, stdout } = await dealgraph(["extract", file, "--json"], { LLM_PROVIDER: "offline" });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.provider).toBe("offline");
    expect(report.deals).toHaveLength(1);
    expect(report.deals[0]?.amount).toBeGreaterThan(0);
    expect(Object.keys(report.deals[0]?.ontology ?? {})).toHaveLength(15);
    expect(report.action_items.every((item) => item.owner_name !== null)).toBe(true);
    expect(report.llm.calls).toBe(2);
  });

  it("reads a plain transcript and prints a readable report", async () => {
    const file = path.join(dir, "call.txt");
    await writeFile(
      file,
      [
        "Ada Park (Vendor Co): The uptime monitoring suite would be 75,000 dollars a year.",
        "Lee Fox (Client Ltd): That works. I'll send the list of services by Friday.",
      ].join("\n"),
    );
    const { code, stdout } = await dealgraph(["extract", file]);
    expect(code).toBe(0);
    expect(stdout).toContain("Uptime monitoring suite — 75,000 USD");
    expect(stdout).toContain("[open] Send the list of services — Lee Fox, due by Friday");
  });

  it("names the bad field of an invalid envelope and exits 2", async () => {
    const file = path.join(dir, "bad.json");
    await writeFile(file, JSON.stringify({ schema_version: "v1", tenant_id: "not-a-uuid" }));
    const { code, stderr } = await dealgraph(["extract", file]);
    expect(code).toBe(2);
    expect(stderr).toContain("tenant_id");
  });

  it("refuses the openai provider without a key, naming the variable", async () => {
    const file = path.join(dir, "call.txt");
    const { code, stderr } = await dealgraph(["extract", file, "--provider", "openai"], { OPENAI_API_KEY: "" });
    expect(code).toBe(2);
    expect(stderr).toContain("OPENAI_API_KEY: Required when LLM_PROVIDER=openai");
  });
});
