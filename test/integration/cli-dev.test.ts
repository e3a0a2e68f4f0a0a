import { freePort } from "../support/free-port";
import { dealgraph } from "../support/run-cli";

/* `dealgraph dev status` and `dev env`: the scripts' view of the configuration, from TypeScript. */

jest.setTimeout(60_000);

describe("dealgraph dev", () => {
  it("reports each local service up at its configured address", async () => {
    const run = await dealgraph(["dev", "status"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^redis\s+up\s+127\.0\.0\.1:6379\s+maxmemory-policy=noeviction/m);
    for (const name of ["postgres", "neo4j-ai", "neo4j-deals"]) expect(run.stdout).toMatch(new RegExp(`^${name}\\s+up\\s`, "m"));
  });

  it("says which one is down, and exits 1", async () => {
    const port = await freePort();
    const run = await dealgraph(["dev", "status"], { REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^redis\\s+down\\s+127\\.0\\.0\\.1:${port}$`, "m"));
    expect(run.stdout).toMatch(/^postgres\s+up\s/m);
  });

  it("gives the scripts every variable resolved, with a URL's parts, a renamed one under its new name", async () => {
    const run = await dealgraph(["dev", "env"], { NEO4J_URI: "bolt://10.0.0.9:7700" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("export ACTION_ITEM_NEO4J_URI_HOST='10.0.0.9'\n");
    expect(run.stdout).toContain("export ACTION_ITEM_NEO4J_URI_PORT='7700'\n");
    expect(run.stdout).toContain("export API_PORT='8080'\n");
  });
});
