import { z } from "zod";

const manifestEnvelopeSchema = z.object({
  file: z.string().min(1),
  tenant: z.string().min(1),
  account_id: z.string().min(1),
  interaction_id: z.uuid(),
  timestamp: z.string(),
  user_id: z.string().optional(),
  interaction_type: z.string(),
  source: z.string(),
});

/** The corpus manifest: which transcript belongs to which tenant, account and time. */
export const corpusManifestSchema = z.object({
  description: z.string().optional(),
  tenants: z.record(z.string(), z.uuid()),
  envelopes: z.array(manifestEnvelopeSchema).min(1),
  // What a good run yields; the tests read it, the loader passes it through untouched.
  expected: z.record(z.string(), z.unknown()),
});

export type CorpusManifest = z.infer<typeof corpusManifestSchema>;
export type CorpusManifestEnvelope = z.infer<typeof manifestEnvelopeSchema>;
