import { readFile } from "node:fs/promises";
import path from "node:path";
import { fieldIssuesFromZod, ValidationError } from "@dealgraph/errors";
import { goldSetSchema, type GoldSet, type GoldTranscript } from "./gold-schema";

export interface LabelledSet {
  dir: string;
  gold: GoldSet;
  /** Transcript text by transcript id. */
  texts: Map<string, string>;
}

/** The labelled set shipped with the project: examples/eval from the project root. */
export function defaultLabelledSetDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.EVAL_DIR ?? path.join(process.cwd(), "examples", "eval"));
}

/** Reads and validates `DIR/gold.json` and every transcript it names; a bad label fails with its path. */
export async function loadLabelledSet(dir: string): Promise<LabelledSet> {
  const goldPath = path.join(dir, "gold.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(goldPath, "utf8"));
  } catch (error) {
    throw new ValidationError(`${goldPath}: ${error instanceof Error ? error.message : String(error)}`, [
      { path: "gold.json", message: "Must be readable JSON" },
    ]);
  }
  const parsed = goldSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = fieldIssuesFromZod(parsed.error);
    throw new ValidationError(`${goldPath}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
  }
  const texts = new Map<string, string>();
  await Promise.all(
    parsed.data.transcripts.map(async (t: GoldTranscript) => {
      texts.set(t.id, await readFile(path.resolve(dir, t.file), "utf8"));
    }),
  );
  return { dir, gold: parsed.data, texts };
}
