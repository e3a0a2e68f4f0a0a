import { readFile } from "node:fs/promises";
import path from "node:path";
import { mintInteractionId, parseEnvelope, type AcceptedEnvelope } from "@dealgraph/contracts";
import { defaultCorpusDir, loadCorpus } from "@dealgraph/corpus";
import { ValidationError } from "@dealgraph/errors";

/** One envelope to send or process, or why it could not be read. */
export interface EnvelopeSource {
  file: string;
  envelope: AcceptedEnvelope | null;
  error: ValidationError | null;
}

async function readEnvelopeFile(file: string): Promise<EnvelopeSource> {
  try {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new ValidationError(`${file} is not JSON: ${error.message}`, [{ path: "", message: "Must be an EnvelopeV1 JSON document" }]);
      }
      throw error;
    }
    const envelope = parseEnvelope(json);
    return { file, envelope: { ...envelope, interaction_id: envelope.interaction_id ?? mintInteractionId() }, error: null };
  } catch (error) {
    if (error instanceof ValidationError) return { file, envelope: null, error };
    throw error;
  }
}

/** The corpus's envelopes in timestamp order, the order a producer would have sent them. */
async function corpusSources(dir: string): Promise<EnvelopeSource[]> {
  const corpus = await loadCorpus(path.resolve(dir));
  return corpus.entries
    .map((entry) => ({ entry, at: Date.parse(entry.envelope.timestamp) }))
    .sort((a, b) => a.at - b.at)
    .map(({ entry }) => ({
      file: entry.name,
      envelope: { ...entry.envelope, interaction_id: entry.envelope.interaction_id ?? mintInteractionId() },
      error: null,
    }));
}

/**
 * The envelopes a command was given: files, in the order named, or a corpus directory
 * (`--corpus`, the sample corpus when no directory follows). An unreadable file is a source
 * with an error, so the others still go.
 */
export async function envelopeSources(files: string[], corpus: string | true | undefined): Promise<EnvelopeSource[]> {
  if ((files.length === 0) === (corpus === undefined)) {
    throw new ValidationError("name at least one envelope file, or --corpus, but not both", [{ path: "files", message: "Give files or --corpus" }]);
  }
  if (corpus === undefined) return Promise.all(files.map(readEnvelopeFile));
  return corpusSources(corpus === true ? defaultCorpusDir() : corpus);
}
