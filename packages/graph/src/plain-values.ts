import { isDate, isDateTime, isDuration, isLocalDateTime, isLocalTime, isTime } from "neo4j-driver";

/**
 * A value read from Neo4j as plain JSON: temporal values become their ISO-8601 strings (a
 * `datetime()` property reads back as a driver object, which neither zod nor Postgres accept).
 * Integers are already plain numbers (the client disables lossless integers).
 */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isDateTime(value) || isDate(value) || isLocalDateTime(value) || isTime(value) || isLocalTime(value) || isDuration(value)) {
    return value.toString();
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, plainValue(inner)]));
  }
  return value;
}

export function plainProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return plainValue(properties) as Record<string, unknown>;
}
