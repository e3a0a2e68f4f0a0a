import { ENV_EXAMPLE_HEADER, ENV_EXAMPLE_SECTIONS } from "./env-docs";
import { envSchema } from "./env-schema";
import { localServicesSchema } from "./local-services-schema";
import { PIPELINE_MODULES_VARIABLE } from "./pipeline-modules";

const HEADING_WIDTH = 96;

/** Every variable's default, as `.env.example` writes it (undefined: no default, the line is commented out). */
export function defaultValues(): Record<string, unknown> {
  return { ...envSchema.parse({}), ...localServicesSchema.parse({}) };
}

/** A parsed default as the variable's text: JSON for the ones that parse into objects (LLM_PRICES). */
export const asVariableText = (value: unknown): string => (typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));

/** Every variable a schema knows, in no particular order. */
export function knownVariables(): string[] {
  return [...Object.keys(envSchema.shape), ...Object.keys(localServicesSchema.shape), PIPELINE_MODULES_VARIABLE];
}

/**
 * `.env.example` as the schemas and ENV_EXAMPLE_SECTIONS make it: each section's heading, each
 * variable's comment lines, then `NAME=default`, or `# NAME=` for a variable without one.
 */
export function renderEnvExample(): string {
  const values = defaultValues();
  const lines = ENV_EXAMPLE_HEADER.map((line) => `# ${line}`.trimEnd());
  for (const section of ENV_EXAMPLE_SECTIONS) {
    const heading = `# --- ${section.title} `;
    lines.push("", heading + "-".repeat(Math.max(2, HEADING_WIDTH - heading.length)));
    for (const variable of section.variables) {
      for (const line of variable.doc ?? []) lines.push(`# ${line}`.trimEnd());
      const value = values[variable.name];
      lines.push(value === undefined ? `# ${variable.name}=` : `${variable.name}=${asVariableText(value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
