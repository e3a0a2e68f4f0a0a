import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const projectRoot = path.resolve(__dirname, "../..");
const tsx = path.join(projectRoot, "node_modules", ".bin", "tsx");

/** Runs `pnpm dealgraph …` as a child process and returns its exit code and output. */
export async function dealgraph(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(tsx, ["apps/cli/src/main.ts", ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
