import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GraphClient } from "@dealgraph/graph";
import { freePort } from "../support/free-port";
import { startLauncher as startThrowaway, stopLauncher } from "../support/throwaway-neo4j";

// The launcher that `pnpm services:up` builds and runs (infra/neo4j), exercised on its own port
// and data directory: a restart over existing data must come back with the same password.
const password = "launcher-test-pw";
const startLauncher = (home: string, port: number) => startThrowaway(home, port, password);
const stop = stopLauncher;

async function canQuery(port: number, pw: string): Promise<boolean> {
  const client = GraphClient.connect(
    { uri: `bolt://127.0.0.1:${port}`, user: "neo4j", password: pw, database: "neo4j" },
    { name: "launcher-test", maxTransactionRetryMs: 1_000 },
  );
  try {
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

describe("Neo4j launcher", () => {
  let home: string;

  beforeAll(async () => {
    // `services:up` builds the launcher only when it has a Neo4j to start; here it may have
    // reused running servers, so build it (a no-op when it is built).
    execFileSync("bash", [path.resolve(__dirname, "../../scripts/services.sh"), "build-neo4j", "--quiet"], {
      stdio: "inherit",
    });
    home = await mkdtemp(path.join(tmpdir(), "dealgraph-neo4j-"));
  }, 600_000);

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("serves Bolt with the configured password, stops on SIGTERM and restarts over its data", async () => {
    const port = await freePort();
    const first = await startLauncher(home, port);
    expect(await canQuery(port, password)).toBe(true);
    expect(await canQuery(port, "not-the-password")).toBe(false);
    expect(await stop(first)).not.toBeNull();

    const second = await startLauncher(home, port);
    try {
      expect(await canQuery(port, password)).toBe(true);
    } finally {
      await stop(second);
    }
  }, 180_000);
});
