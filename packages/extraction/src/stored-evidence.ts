import { z } from "zod";

/*
 * A deal's evidence quotes as the deal graph keeps them: one JSON property,
 * `qualification_evidence_json` (Neo4j stores no maps), with each MEDDIC field's and each
 * ontology dimension's quote. The deal pipeline writes it; the pipeline, the risk signals and
 * the deal room read it back through `parseStoredEvidence`.
 */

const storedEvidenceSchema = z.object({
  meddic: z.record(z.string(), z.string().nullable()).default({}),
  ontology: z.record(z.string(), z.string().nullable()).default({}),
});
export type StoredEvidence = z.infer<typeof storedEvidenceSchema>;

export const NO_STORED_EVIDENCE: StoredEvidence = { meddic: {}, ontology: {} };

/** The quotes a stored property holds (none when it is absent); null when it is text that is not that JSON, a damaged node. */
export function parseStoredEvidence(value: unknown): StoredEvidence | null {
  if (typeof value !== "string") return NO_STORED_EVIDENCE;
  try {
    const parsed = storedEvidenceSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
