import { ValidationError, fieldIssuesFromZod } from "@dealgraph/errors";
import { ENVELOPE_LIMITS, envelopeBatchV1Schema, parseEnvelope } from "./envelope";
import { exampleEnvelope } from "./example-envelope";

const valid = exampleEnvelope({ opportunity_id: "01936f3c-9a1e-7b2d-8c4f-0123456789ab", extras: { crm_ref: "x-1" } });

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseEnvelope(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.retryable).toBe(false);
    return validation.issues;
  }
  throw new Error("expected the envelope to be rejected");
}

function paths(input: unknown): string[] {
  return issuesOf(input).map((issue) => issue.path);
}

describe("parseEnvelope", () => {
  it("accepts a complete envelope and returns it typed", () => {
    expect(parseEnvelope(valid)).toEqual(valid);
  });

  it("accepts the minimal envelope and timestamps with an offset", () => {
    const { account_id: _a, interaction_id: _i, opportunity_id: _o, user_id: _u, extras: _e, ...minimal } = valid;
    expect(parseEnvelope({ ...minimal, timestamp: "2026-03-02T15:00:00.250+02:00" }).account_id).toBeUndefined();
  });

  it("accepts short text: the pipelines skip it with a warning instead", () => {
    expect(parseEnvelope({ ...valid, content: { text: "hi", format: "plain" } }).content.text).toBe("hi");
  });

  it.each([
    ["missing tenant", { ...valid, tenant_id: undefined }, "tenant_id"],
    ["tenant not a UUID", { ...valid, tenant_id: "tenant-a" }, "tenant_id"],
    ["wrong schema version", { ...valid, schema_version: "v2" }, "schema_version"],
    ["interaction id not a UUID", { ...valid, interaction_id: "123" }, "interaction_id"],
    ["opportunity id of version 4", { ...valid, opportunity_id: "3b0f6a52-8c1e-4d7a-9f3b-5e2d1c0a9b81" }, "opportunity_id"],
    ["unknown interaction type", { ...valid, interaction_type: "call" }, "interaction_type"],
    ["unknown source", { ...valid, source: "fax" }, "source"],
    ["unknown content format", { ...valid, content: { ...valid.content, format: "html" } }, "content.format"],
    ["text not a string", { ...valid, content: { ...valid.content, text: 42 } }, "content.text"],
    ["missing content", { ...valid, content: undefined }, "content"],
    ["timestamp without a zone", { ...valid, timestamp: "2026-03-02T15:00:00" }, "timestamp"],
    ["timestamp not a date", { ...valid, timestamp: "yesterday" }, "timestamp"],
    ["empty account id", { ...valid, account_id: "  " }, "account_id"],
    ["account id with a newline", { ...valid, account_id: "acct\n1" }, "account_id"],
    ["extras not an object", { ...valid, extras: ["a"] }, "extras"],
    ["a NUL character in the text", { ...valid, content: { ...valid.content, text: "Ada: pricing by Friday\u0000" } }, "content.text"],
    ["an unpaired surrogate in the text", { ...valid, content: { ...valid.content, text: "Ada: \ud83d by Friday" } }, "content.text"],
    ["a NUL character deep in extras", { ...valid, extras: { crm: { notes: ["ok", "bad\u0000"] } } }, "extras"],
    ["an unpaired surrogate in an extras key", { ...valid, extras: { "key\udc00": 1 } }, "extras"],
    ["an unpaired surrogate in the account id", { ...valid, account_id: "acct-\ud800" }, "account_id"],
    ["unknown top-level field", { ...valid, tenant: "x" }, "tenant"],
    ["unknown content field", { ...valid, content: { ...valid.content, html: "<b>" } }, "content.html"],
  ])("rejects %s naming the field", (_name, input, path) => {
    expect(paths(input)).toContain(path);
  });

  it("rejects text over the limit, naming the limit", () => {
    const text = "x".repeat(ENVELOPE_LIMITS.maxTextChars + 1);
    const issues = issuesOf({ ...valid, content: { text, format: "plain" } });
    expect(issues).toEqual([{ path: "content.text", message: `Must be at most ${ENVELOPE_LIMITS.maxTextChars} characters` }]);
  });

  it("rejects extras over the byte limit, counting UTF-8 bytes", () => {
    const nearLimit = "é".repeat(ENVELOPE_LIMITS.maxExtrasBytes / 2);
    expect(paths({ ...valid, extras: { note: nearLimit } })).toEqual(["extras"]);
    expect(parseEnvelope({ ...valid, extras: { note: "é".repeat(100) } }).extras).toBeDefined();
  });

  it("accepts paired surrogates (emoji) and backslashes that only look like escapes", () => {
    const text = "Lee: 👍 sounds good; the path is C:\\u0000\\deals";
    expect(parseEnvelope({ ...valid, content: { ...valid.content, text }, extras: { mood: "🙂", raw: "\\u0000" } }).content.text).toBe(text);
  });

  it("reports every bad field at once", () => {
    expect(paths({ ...valid, tenant_id: "x", source: "fax", timestamp: "now" }).sort()).toEqual(["source", "tenant_id", "timestamp"]);
  });

  it("rejects things that are not objects at the root", () => {
    expect(paths(null)).toEqual(["(root)"]);
    expect(paths("envelope")).toEqual(["(root)"]);
  });

  it("puts the field paths in the error message", () => {
    expect(() => parseEnvelope({ ...valid, tenant_id: "x" })).toThrow(/tenant_id: Must be a UUID/);
  });
});

describe("envelopeBatchV1Schema", () => {
  const batchIssues = (input: unknown) => {
    const result = envelopeBatchV1Schema.safeParse(input);
    return result.success ? [] : fieldIssuesFromZod(result.error).map((issue) => issue.path);
  };

  it("takes up to the limit of valid envelopes", () => {
    expect(envelopeBatchV1Schema.parse([valid, valid])).toHaveLength(2);
    expect(batchIssues(Array.from({ length: ENVELOPE_LIMITS.maxEnvelopesPerPost }, () => valid))).toEqual([]);
  });

  it("names a bad envelope by its index and field", () => {
    expect(batchIssues([valid, { ...valid, timestamp: "yesterday" }, { ...valid, source: "fax" }])).toEqual(["1.timestamp", "2.source"]);
  });

  it("refuses an empty array and one over the limit", () => {
    expect(batchIssues([])).toEqual(["(root)"]);
    expect(batchIssues(Array.from({ length: ENVELOPE_LIMITS.maxEnvelopesPerPost + 1 }, () => valid))).toEqual(["(root)"]);
  });
});

describe("what an accepted envelope can hold", () => {
  const issuesOf = (overrides: Record<string, unknown>) => {
    try {
      parseEnvelope({ ...valid, ...overrides });
      return [];
    } catch (error) {
      return (error as ValidationError).issues.map((i) => i.path);
    }
  };

  it.each([
    ["year 0000", { timestamp: "0000-01-01T00:00:00Z" }, ["timestamp"]],
    ["an offset beyond ±14:00", { timestamp: "2026-05-04T10:00:00-15:00" }, ["timestamp"]],
    ["the widest real offset", { timestamp: "2026-05-04T10:00:00+14:00" }, []],
    ["extras 33 levels deep", { extras: JSON.parse(`${'{"a":'.repeat(33)}1${"}".repeat(33)}`) as Record<string, unknown> }, ["extras"]],
    ["extras 32 levels deep", { extras: JSON.parse(`${'{"a":'.repeat(32)}1${"}".repeat(32)}`) as Record<string, unknown> }, []],
    ["a right-to-left override in an account id", { account_id: "acct\u202E1" }, ["account_id"]],
    ["a zero-width joiner in a user id", { user_id: "ada\u200D" }, ["user_id"]],
  ])("%s", (_what, overrides, paths) => {
    expect(issuesOf(overrides)).toEqual(paths);
  });

  it("keeps an account id in its composed (NFC) spelling", () => {
    expect(parseEnvelope({ ...valid, account_id: "Cafe\u0301" }).account_id).toBe("Caf\u00e9");
  });
});
