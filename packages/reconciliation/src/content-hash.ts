import { createHash } from "node:crypto";
import type { ColumnKind } from "@dealgraph/pipeline-kit";

/** One value as both sides can agree on it: Postgres `real` keeps ~7 digits, the graph 15. */
function normalized(value: unknown, kind: ColumnKind): string | number | null {
  if (value === null || value === undefined) return null;
  if (kind === "text") return value instanceof Date ? value.toISOString() : String(value);
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  return kind === "int" ? number : Number(number.toPrecision(5));
}

/**
 * The content hash of one entity: its id and the covered columns, in a fixed order. Equal
 * hashes on both sides mean the row holds what the projection would write from the graph now.
 */
export function contentHash(id: string, row: Record<string, unknown>, columns: Record<string, ColumnKind>): string {
  const values = Object.keys(columns)
    .sort()
    .map((column) => normalized(row[column], columns[column] as ColumnKind));
  return createHash("sha1")
    .update(JSON.stringify([id, values]))
    .digest("base64url");
}
