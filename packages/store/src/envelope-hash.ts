import { createHash } from "node:crypto";

/*
 * What makes two posts of one interaction the same envelope: their content, whatever the key
 * order or the spelling of the instant ("…T10:00:00Z" and "…T12:00:00+02:00" are one moment).
 * The inbox stores this hash with each envelope, so a repeat is told from a correction without
 * reading the stored transcript back.
 */

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The instant a timestamp names, in one spelling; anything unparsable is kept as given. */
export function canonicalInstant(timestamp: unknown): unknown {
  if (typeof timestamp !== "string") return timestamp;
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? timestamp : new Date(at).toISOString();
}

export function envelopeContentHash(envelope: Record<string, unknown>): string {
  const normalised = { ...envelope, timestamp: canonicalInstant(envelope.timestamp) };
  return createHash("sha256")
    .update(JSON.stringify(canonical(normalised)))
    .digest("hex");
}

const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * The fields in which two envelopes of one interaction differ, as paths ("content.text",
 * "timestamp", "extras.crm_id"): the producer is told what its re-post would have changed.
 */
export function envelopeDifferences(stored: Record<string, unknown>, incoming: Record<string, unknown>): string[] {
  const paths: string[] = [];
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(incoming)])].sort();
  for (const key of keys) {
    const a = key === "timestamp" ? canonicalInstant(stored[key]) : stored[key];
    const b = key === "timestamp" ? canonicalInstant(incoming[key]) : incoming[key];
    if (same(a, b)) continue;
    const nested = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value);
    if ((key === "content" || key === "extras") && nested(a) && nested(b)) {
      const inner = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
      for (const field of inner) if (!same((a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field])) paths.push(`${key}.${field}`);
    } else {
      paths.push(key);
    }
  }
  return paths;
}
