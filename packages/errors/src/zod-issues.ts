import type { z } from "zod";
import type { FieldIssue } from "./errors";

function dotted(path: ReadonlyArray<PropertyKey>): string {
  return path.length > 0 ? path.map(String).join(".") : "(root)";
}

/**
 * Flattens zod's issues into `{ path, message }` pairs with dotted paths (`content.text`).
 * An unknown key is reported at its own path, so the caller sees which field to remove.
 */
export function fieldIssuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: dotted([...issue.path, key]), message: "Unknown field" }))
      : [{ path: dotted(issue.path), message: issue.message }],
  );
}
