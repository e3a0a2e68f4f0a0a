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
  optionalText: () => stored.textOr(null),
  /** A string the node may have; anything else reads as `fallback`. */
  textOr: <Fallback extends string | null>(fallback: Fallback) =>
    z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "string" ? value : fallback)),
  /** A number the node may have; anything else reads as `fallback`. */
  number: <Fallback extends number | null>(fallback: Fallback) =>
    z
      .unknown()
      .optional()
      .transform((value) => (typeof value === "number" ? value : fallback)),
};

type CamelCase<Key extends string> = Key extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : Key;

/** An object type with its snake_case keys in camelCase: a stored node's properties as a record. */
export type CamelCased<Properties> = { [Key in keyof Properties as Key extends string ? CamelCase<Key> : never]: Properties[Key] };

const camelCase = (key: string) => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * A stored label's record and properties converted both ways from one schema of its properties:
 * the graph keeps snake_case properties, the code camelCase records, and the mapping between
 * them is the same for every key, so it is written once here rather than twice per label.
 */
export interface StoredRecordCodec<Shape extends z.ZodRawShape> {
  /** A node's (or version snapshot's) properties as the record; damage throws a StoredRecordError. */
  decode(properties: Record<string, unknown>): CamelCased<z.output<z.ZodObject<Shape>>>;
  /** A node's properties validated and with the schema's fallbacks, under their stored names (a projection row's columns). */
  read(properties: Record<string, unknown>): z.output<z.ZodObject<Shape>>;
  /** The record's properties under their stored names: exactly the schema's keys. */
  encode(record: CamelCased<z.output<z.ZodObject<Shape>>>): z.output<z.ZodObject<Shape>>;
}

export function storedRecordCodec<Shape extends z.ZodRawShape>(label: string, idProperty: keyof Shape & string, shape: Shape): StoredRecordCodec<Shape> {
  const schema = z.object(shape);
  const keys = Object.keys(shape).map((property) => [property, camelCase(property)] as const);
  const read = (properties: Record<string, unknown>) => decodeStoredNode(label, idProperty, schema, properties);
  return {
    read,
    decode(properties) {
      const decoded = read(properties) as Record<string, unknown>;
      return Object.fromEntries(keys.map(([property, field]) => [field, decoded[property]])) as CamelCased<z.output<z.ZodObject<Shape>>>;
    },
    encode(record) {
      const fields = record as Record<string, unknown>;
      return Object.fromEntries(keys.map(([property, field]) => [property, fields[field]])) as z.output<z.ZodObject<Shape>>;
    },
  };
}
