import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseEnvelope, type EnvelopeV1 } from "@dealgraph/contracts";
import { corpusManifestSchema, type CorpusManifest } from "./manifest";

export interface CorpusEntry {
  /** The transcript's file name without extension, e.g. `northwind-01-discovery`. */
  name: string;
  /** The tenant's key in the manifest (`A`, `B`). */
  tenantKey: string;
  envelope: EnvelopeV1;
}

export interface Corpus {
  dir: string;
  manifest: CorpusManifest;
  /** In manifest order; callers that need an account's order sort by `envelope.timestamp`. */
  entries: CorpusEntry[];
}

/** `CORPUS_DIR`, else the sample corpus shipped in `examples/corpus` (from the project root). */
export function defaultCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CORPUS_DIR ?? path.join(process.cwd(), "examples", "corpus"));
}

/**
 * Reads the sample corpus and turns each manifest entry into a validated EnvelopeV1, exactly as
 * a producer would post it.
 */
export async function loadCorpus(dir: string = defaultCorpusDir()): Promise<Corpus> {
  const manifestPath = path.join(dir, "manifest.json");
  const manifest = corpusManifestSchema.parse(JSON.parse(await readFile(manifestPath, "utf8")) as unknown);
  const entries = await Promise.all(
    manifest.envelopes.map(async (item): Promise<CorpusEntry> => {
      const tenantId = manifest.tenants[item.tenant];
      if (tenantId === undefined) {
        throw new Error(`${manifestPath}: envelope ${item.file} names unknown tenant ${item.tenant}`);
      }
      const text = await readFile(path.join(dir, item.file), "utf8");
      const envelope = parseEnvelope({
        schema_version: "v1",
        tenant_id: tenantId,
        account_id: item.account_id,
        interaction_id: item.interaction_id,
        user_id: item.user_id,
        interaction_type: item.interaction_type,
        content: { text, format: "diarized" },
        timestamp: item.timestamp,
        source: item.source,
      });
      return { name: path.basename(item.file, path.extname(item.file)), tenantKey: item.tenant, envelope };
    }),
  );
  return { dir, manifest, entries };
}
