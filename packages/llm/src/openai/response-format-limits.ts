/*
 * The limits OpenAI's strict structured outputs put on a response format's JSON Schema, at
 * their narrowest across the services that speak the wire format (Azure OpenAI and older
 * gateways still hold the first published ones): a schema over them is refused with a 400 on
 * every call, so they are checked before any call is made.
 */
export const STRICT_MODE_LIMITS = {
  /** Object properties in the whole schema, nested ones included. */
  properties: 100,
  /** Levels of object nesting. */
  nesting: 5,
  /** Enum values in the whole schema. */
  enumValues: 500,
  /** Characters of all property names, enum values and definition names together. */
  nameCharacters: 15_000,
} as const;

export interface ResponseFormatSize {
  properties: number;
  nesting: number;
  enumValues: number;
  nameCharacters: number;
  /** Paths of objects that do not require every property or allow others (strict mode needs both). */
  notStrict: string[];
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
};

export function measureResponseFormat(schema: object): ResponseFormatSize {
  const size: ResponseFormatSize = { properties: 0, nesting: 0, enumValues: 0, nameCharacters: 0, notStrict: [] };
  const visit = (node: JsonSchema, path: string, depth: number): void => {
    if (node.properties) {
      const keys = Object.keys(node.properties);
      size.properties += keys.length;
      size.nesting = Math.max(size.nesting, depth);
      size.nameCharacters += keys.reduce((sum, key) => sum + key.length, 0);
      const required = new Set(node.required ?? []);
      if (node.additionalProperties !== false || keys.some((key) => !required.has(key))) size.notStrict.push(path || "(root)");
      for (const key of keys) visit(node.properties[key]!, path ? `${path}.${key}` : key, depth + 1);
    }
    if (node.items) visit(node.items, `${path}[]`, depth);
    node.anyOf?.forEach((option) => visit(option, path, depth));
    if (node.enum) {
      size.enumValues += node.enum.length;
      size.nameCharacters += node.enum.reduce<number>((sum, value) => sum + String(value).length, 0);
    }
    for (const [name, definition] of Object.entries({ ...node.definitions, ...node.$defs })) {
      size.nameCharacters += name.length;
      visit(definition, `#${name}`, depth);
    }
  };
  visit(schema as JsonSchema, "", 1);
  return size;
}

/** What exceeds the limits, in words; empty when the schema fits. */
export function responseFormatProblems(schema: object): string[] {
  const size = measureResponseFormat(schema);
  const over = (["properties", "nesting", "enumValues", "nameCharacters"] as const).flatMap((limit) =>
    size[limit] > STRICT_MODE_LIMITS[limit] ? [`${size[limit]} ${limit} (at most ${STRICT_MODE_LIMITS[limit]})`] : [],
  );
  return [...over, ...size.notStrict.map((path) => `${path}: not every property required, or others allowed`)];
}
