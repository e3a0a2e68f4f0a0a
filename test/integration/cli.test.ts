import { dealgraph } from "../support/run-cli";

describe("dealgraph CLI", () => {
  it("migrate is safe to run again and reports everything up to date", async () => {
    const { code, stdout } = await dealgraph(["migrate"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^postgres: (up to date|applied)/m);
    expect(stdout).toMatch(/^action_items graph: schema ready/m);
    expect(stdout).toMatch(/^deals graph: schema ready/m);
  });

  it("health reports every service up with the apps' credentials", async () => {
    const { code, stdout } = await dealgraph(["health", "--json"]);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ service: string; ok: boolean }>;
    expect(rows.map((r) => [r.service, r.ok])).toEqual([
      ["redis", true],
      ["postgres", true],
      ["action_items-graph", true],
      ["deals-graph", true],
    ]);
  });

  it("health names the service that is down and exits non-zero", async () => {
    const { code, stdout } = await dealgraph(["health", "--json"], { DEAL_NEO4J_URI: "bolt://127.0.0.1:1" });
    expect(code).toBe(1);
    const rows = JSON.parse(stdout) as Array<{ service: string; ok: boolean }>;
    expect(rows.filter((r) => !r.ok).map((r) => r.service)).toEqual(["deals-graph"]);
  });

  it("refuses a bad environment with one line per bad variable", async () => {
    const { code, stderr } = await dealgraph(["migrate"], { EMBEDDING_DIMENSION: "0", REDIS_URL: "http://x" });
    expect(code).toBe(2);
    expect(stderr).toContain("EMBEDDING_DIMENSION: Must be at least 1");
    expect(stderr).toContain("REDIS_URL: Must be a URL starting with redis:// or rediss://");
  });
});
