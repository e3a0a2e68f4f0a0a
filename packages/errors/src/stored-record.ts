import { StoredRecordError } from "./errors";
import { fieldIssuesFromZod } from "./zod-issues";
import { z } from "zod";

/**
 * A stored node's properties decoded by its schema: what the pipelines merge into and project
 * from. A node that does not fit is damage no retry repairs, so it fails with a StoredRecordError
 * (not retryable) naming the label, the node's id and each property that is wrong.
 */
export function decodeStoredNode<Schema extends z.ZodType>(
  label: string,
  idProperty: string,
  schema: Schema,
  properties: Record<string, unknown>,
): z.infer<Schema> {
  const parsed = schema.safeParse(properties);
  if (parsed.success) return parsed.data;
  const id = typeof properties[idProperty] === "string" ? (properties[idProperty] as string) : null;
  throw new StoredRecordError(label, id, fieldIssuesFromZod(parsed.error));
}

/** The property kinds a stored node's schema is made of (`.passthrough` keeps the rest for the caller). */
export const stored = {
  /** A string the node must have. */
  text: () => z.string({ error: "Must be a string" }),
  /** A string the node may have; anything else reads as null. */
  optionalText: () =>
    z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "string" ? value : null)),
  /** A number the node may have; anything else reads as `fallback`. */
  number: <Fallback extends number | null>(fallback: Fallback) =>
    z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "number" ? value : fallback)),
};
