import { ConfigError } from "@dealgraph/errors";
import { z } from "zod";

/** The variable naming pipeline modules kept outside the repository (no default: none). */
export const PIPELINE_MODULES_VARIABLE = "PIPELINE_MODULES";

const moduleFilesSchema = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((file) => file.trim())
      .filter((file) => file.length > 0),
  )
  .refine((files) => files.every((file) => /\.(ts|js|cjs)$/.test(file)), { message: "Must be a comma-separated list of .ts or .js files" });

/**
 * PIPELINE_MODULES: files (relative to the working directory) that each export a
 * `pipelineModule`, registered after the built-in pipelines. How a pipeline kept outside this
 * repository (or the test suite's) joins the fleet without an edit here. Read on its own, before
 * the rest of the configuration, because the registry is built when a process starts.
 */
export function pipelineModuleFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const parsed = moduleFilesSchema.safeParse(env[PIPELINE_MODULES_VARIABLE]);
  if (!parsed.success) throw new ConfigError([{ path: PIPELINE_MODULES_VARIABLE, message: parsed.error.issues[0]?.message ?? "Invalid" }]);
  return parsed.data;
}
