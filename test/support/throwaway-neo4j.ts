import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/*
 * A Neo4j of the test's own, from the launcher `pnpm services:up` builds (infra/neo4j), on its own
 * port and data directory: for tests that change what the shared servers must keep (a restart,
 * vector indexes of another size).
 */

const launcherDir = path.resolve(__dirname, "../../infra/neo4j/target");

export function startLauncher(home: string, port: number, password: string): Promise<ChildProcess> {
  const child = spawn(
    "java",
    [
      "-Xmx512m",
      "-cp",
      `${launcherDir}/neo4j-launcher.jar:${launcherDir}/lib/*`,
      "dev.dealgraph.neo4j.Neo4jLauncher",
      "--home",
      home,
      "--port",
      String(port),
      "--page-cache-mb",
      "32",
    ],
    { env: { ...process.env, NEO4J_LAUNCHER_PASSWORD: password }, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("neo4j-launcher: ready")) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`launcher exited with ${code}: ${output.slice(-2000)}`)));
  });
}

export function stopLauncher(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}
