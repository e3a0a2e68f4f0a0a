import { spawn, type ChildProcess } from "node:child_process";
import { projectRoot } from "./run-cli";

export interface RunningApp {
  name: string;
  child: ChildProcess;
  /** Where it answers /healthz, /readyz and /metrics, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process wrote, for a failing test's message. */
  output(): string;
  /** SIGTERM, and wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Starts an app (`apps/<name>/src/main.ts`, or `worker:<pipeline>` for the worker app given that
 * pipeline) as its own process and waits for its /healthz.
 */
export async function startApp(name: string, env: NodeJS.ProcessEnv, healthUrl: string, timeoutMs = 60_000): Promise<RunningApp> {
  const command = name.startsWith("worker:") ? ["apps/worker/src/main.ts", name.slice("worker:".length)] : [`apps/${name}/src/main.ts`];
  // DEALGRAPH_CPU_PROFILE_DIR: each app writes a V8 CPU profile there when it exits (benchmarks).
  const profileDir = process.env.DEALGRAPH_CPU_PROFILE_DIR;
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  // One process, not tsx's launcher and a child: a SIGKILL must reach the process doing the work.
  const child = spawn(process.execPath, [...profile, "--import", "tsx", ...command], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(healthUrl)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${name} did not become healthy within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name,
    child,
    url: new URL(healthUrl).origin,
    output: () => output,
    stop: async (graceMs = 30_000) => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
