import { readFileSync } from "node:fs";
import path from "node:path";
import { dealgraph, projectRoot } from "../support/run-cli";
import { freshTenantId } from "../support/services";

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

  it("prints its version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(projectRoot, "apps/cli/package.json"), "utf8")) as { version: string };
    expect(await dealgraph(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("exits 2 when it declines to act, saying what would make it", async () => {
    const refused = await dealgraph(["dlq", "purge", "--pipeline", "deals"]);
    expect(refused).toEqual({ code: 2, stdout: "", stderr: expect.stringContaining("add --yes to confirm") });
  });

  it("keeps logs off stdout: with LOG_LEVEL=info, reconcile prints its table there and JSON log lines on stderr", async () => {
    const tenantId = freshTenantId();
    const { code, stdout, stderr } = await dealgraph(["reconcile", "--tenant", tenantId], { LOG_LEVEL: "info" });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^tenant ${tenantId}: graph and Postgres agree`));
    expect(stdout).not.toContain("{");
    const logged = stderr
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: string; msg: string; tenant_id?: string });
    expect(logged).toContainEqual(expect.objectContaining({ level: "info", msg: "reconciled", tenant_id: tenantId }));
  });
});
