import { readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "@dealgraph/errors";
import { ENV_EXAMPLE_SECTIONS } from "./env-docs";
import { asVariableText, knownVariables, renderEnvExample } from "./env-example";
import { envSchema } from "./env-schema";
import { parseConfig } from "./load-config";
import { pipelineModuleFiles } from "./pipeline-modules";

function envExample(): Map<string, string> {
  const file = path.resolve(__dirname, "../../../.env.example");
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const eq = line.indexOf("=");
      return [line.slice(0, eq), line.slice(eq + 1)] as const;
    });
  return new Map(entries);
}

describe("parseConfig", () => {
  it("runs with local defaults when nothing is set", () => {
    const config = parseConfig({});
    expect(config.postgres.url).toMatch(/^postgres:\/\/dealgraph_app@?|^postgres:\/\/dealgraph_app:/);
    expect(config.embeddings.dimension).toBe(384);
    expect(config.redis.queuePrefix).toBe("{dealgraph}");
    expect(config.graphs.action_items.uri).not.toBe(config.graphs.deals.uri);
  });

  it("coerces numbers and keeps the two graphs apart", () => {
    const config = parseConfig({
      OPENAI_API_KEY: "sk-test",
      EMBEDDING_DIMENSION: "512",
      ACTION_ITEM_NEO4J_URI: "bolt://ai:7687",
      DEAL_NEO4J_URI: "neo4j+s://deals.example:7687",
    });
    expect(config.embeddings.dimension).toBe(512);
    expect(config.graphs.action_items.uri).toBe("bolt://ai:7687");
    expect(config.graphs.deals.uri).toBe("neo4j+s://deals.example:7687");
  });

  it("points the CLI at the api's own address unless told otherwise, and splits its keys", () => {
    expect(parseConfig({ API_HOST: "10.0.0.5", API_PORT: "9000" }).cli).toEqual({ apiUrl: "http://10.0.0.5:9000", apiKeys: [] });
    expect(parseConfig({ DEALGRAPH_API_URL: "https://api.example", DEALGRAPH_API_KEY: " k1, k2 ,," }).cli).toEqual({
      apiUrl: "https://api.example",
      apiKeys: ["k1", "k2"],
    });
    expect(() => parseConfig({ DEALGRAPH_API_URL: "not a url" })).toThrow(/DEALGRAPH_API_URL/);
  });

  it("reaches a Redis Cluster by its seed nodes, only under a {hash-tag} queue prefix", () => {
    expect(parseConfig({}).redis.clusterNodes).toBeNull();
    expect(parseConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000,redis-b.internal:7001,[::1]:7002" }).redis.clusterNodes).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b.internal", port: 7001 },
      { host: "::1", port: 7002 },
    ]);
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000", QUEUE_PREFIX: "dealgraph" })).toThrow(/QUEUE_PREFIX/);
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: "10.0.0.1" })).toThrow(/REDIS_CLUSTER_NODES/);
  });

  it("treats empty variables as unset", () => {
    expect(parseConfig({ REDIS_URL: "" }).redis.url).toBe("redis://127.0.0.1:6379");
  });

  it("names every bad variable with its own message", () => {
    let caught: unknown;
    try {
      parseConfig({
        DATABASE_URL: "mysql://x",
        EMBEDDING_DIMENSION: "lots",
        ACTION_ITEM_NEO4J_PASSWORD: "short",
        LOG_LEVEL: "loud",
        QUEUE_PREFIX: "a:b",
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "ACTION_ITEM_NEO4J_PASSWORD",
      "DATABASE_URL",
      "EMBEDDING_DIMENSION",
      "LOG_LEVEL",
      "QUEUE_PREFIX",
    ]);
    expect(error.message).toContain("DATABASE_URL: Must be a URL starting with postgres:// or postgresql://");
    expect(error.message).toContain("EMBEDDING_DIMENSION: Must be a number");
    expect(error.retryable).toBe(false);
  });

  it("never echoes a secret's value in its error", () => {
    expect(() => parseConfig({ NEO4J_PASSWORD: "hunter2" })).toThrow(ConfigError);
    try {
      parseConfig({ NEO4J_PASSWORD: "hunter2" });
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});

describe(".env.example", () => {
  it("is what the schemas and their documentation make (pnpm env:example writes it)", () => {
    expect(readFileSync(path.resolve(__dirname, "../../../.env.example"), "utf8")).toBe(renderEnvExample());
  });

  it("documents every variable a schema reads, once, and nothing else", () => {
    const documented = ENV_EXAMPLE_SECTIONS.flatMap((section) => section.variables.map((v) => v.name));
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(knownVariables().sort());
  });

  it("shows every default the config falls back to", () => {
    const example = envExample();
    for (const [name, value] of Object.entries(envSchema.parse({}))) expect({ name, value: example.get(name) }).toEqual({ name, value: asVariableText(value) });
  });
});

describe("language model selection", () => {
  it("runs offline when no key is configured", () => {
    expect(parseConfig({}).llm).toMatchObject({ provider: "offline", embeddingModel: { name: "all-minilm-l6-v2-q", dimension: 384 } });
  });

  it("picks OpenAI when a key is set, with the configured base URL and models", () => {
    const llm = parseConfig({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "http://127.0.0.1:9999/v1" }).llm;
    expect(llm).toMatchObject({ provider: "openai", baseUrl: "http://127.0.0.1:9999/v1", chatModel: "gpt-4.1-mini" });
  });

  it("reads per-model prices as JSON and names the variable when they are not", () => {
    expect(parseConfig({ LLM_PRICES: '{"my-model":{"input":1,"output":2}}' }).llmPrices).toEqual({ "my-model": { input: 1, output: 2 } });
    expect(() => parseConfig({ LLM_PRICES: "cheap" })).toThrow(/LLM_PRICES: Must be JSON/);
    expect(() => parseConfig({ LLM_PRICES: '{"m":{"input":-1,"output":0}}' })).toThrow(/LLM_PRICES: Must map models/);
  });

  it("sends no temperature unless one is set, and caps the output by default", () => {
    expect(parseConfig({ OPENAI_API_KEY: "sk-test" }).llm).toMatchObject({ temperature: null, maxOutputTokens: 16_384 });
    expect(parseConfig({ OPENAI_API_KEY: "sk-test", OPENAI_TEMPERATURE: "0", OPENAI_MAX_OUTPUT_TOKENS: "900" }).llm).toMatchObject({
      temperature: 0,
      maxOutputTokens: 900,
    });
    expect(() => parseConfig({ OPENAI_API_KEY: "sk-test", OPENAI_TEMPERATURE: "3" })).toThrow(/OPENAI_TEMPERATURE/);
  });

  it.each([
    { model: "text-embedding-3-small", setting: undefined, sends: true },
    { model: "text-embedding-ada-002", setting: undefined, sends: false },
    { model: "nomic-embed-text", setting: undefined, sends: false },
    { model: "nomic-embed-text", setting: "true", sends: true },
    { model: "text-embedding-3-large", setting: "false", sends: false },
  ])("sends `dimensions` to $model with EMBEDDING_SEND_DIMENSIONS=$setting: $sends", ({ model, setting, sends }) => {
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_EMBEDDING_MODEL: model, ...(setting ? { EMBEDDING_SEND_DIMENSIONS: setting } : {}) };
    expect(parseConfig(env).llm).toMatchObject({ sendDimensions: sends });
  });

  it("keeps the offline provider when it is asked for, key or not", () => {
    expect(parseConfig({ OPENAI_API_KEY: "sk-test", LLM_PROVIDER: "offline" }).llm.provider).toBe("offline");
  });

  it("sizes vectors by the offline model, and refuses a dimension the model cannot make", () => {
    expect(parseConfig({}).embeddings.dimension).toBe(384);
    expect(parseConfig({ OPENAI_API_KEY: "sk-test" }).embeddings.dimension).toBe(1536);
    expect(() => parseConfig({ EMBEDDING_DIMENSION: "1536" })).toThrow(/EMBEDDING_DIMENSION: The offline model all-minilm-l6-v2-q makes 384-dimension vectors/);
  });

  it("refuses an offline model it does not know, naming the variable", () => {
    expect(() => parseConfig({ OFFLINE_EMBEDDING_MODEL: "gpt-2" })).toThrow(/OFFLINE_EMBEDDING_MODEL/);
  });

  it("refuses openai without a key, naming the variable", () => {
    expect(() => parseConfig({ LLM_PROVIDER: "openai" })).toThrow(/OPENAI_API_KEY: Required when LLM_PROVIDER=openai/);
  });
});

describe("deal matching thresholds", () => {
  it("default to 0.90 and 0.70 with OpenAI, and to the offline model's calibrated band offline", () => {
    expect(parseConfig({ OPENAI_API_KEY: "sk-test" }).dealMatching).toEqual({ autoMerge: 0.9, askModel: 0.7 });
    expect(parseConfig({}).dealMatching).toEqual({ autoMerge: 0.8, askModel: 0.5 });
    expect(parseConfig({ OFFLINE_EMBEDDING_MODEL: "e5-small-v2-q" }).actionItemMatching).toEqual({ autoMerge: 0.93, askModel: 0.88 });
    expect(parseConfig({ DEAL_MATCH_AUTO_MERGE: "0.85" }).dealMatching).toEqual({ autoMerge: 0.85, askModel: 0.5 });
  });

  it("refuse a band that is upside down, naming the variable", () => {
    expect(() => parseConfig({ DEAL_MATCH_AUTO_MERGE: "0.4" })).toThrow(/DEAL_MATCH_ASK_MODEL: Must not exceed DEAL_MATCH_AUTO_MERGE/);
  });
});

describe("PIPELINE_MODULES", () => {
  it("lists the module files, comma-separated, and none when unset", () => {
    expect(pipelineModuleFiles({})).toEqual([]);
    expect(pipelineModuleFiles({ PIPELINE_MODULES: " a/word-counts.ts, b/mod.js ," })).toEqual(["a/word-counts.ts", "b/mod.js"]);
  });

  it("refuses what is not a module file, naming the variable", () => {
    expect(() => pipelineModuleFiles({ PIPELINE_MODULES: "rm -rf /" })).toThrow(/PIPELINE_MODULES: Must be a comma-separated list/);
  });
});

describe("renamed variables", () => {
  it("still reads NEO4J_* for the action-item graph when ACTION_ITEM_NEO4J_* is unset", () => {
    expect(parseConfig({ NEO4J_URI: "bolt://items.example:7687" }).graphs.action_items.uri).toBe("bolt://items.example:7687");
    expect(parseConfig({ NEO4J_URI: "bolt://a:1", ACTION_ITEM_NEO4J_URI: "bolt://a:1" }).graphs.action_items.uri).toBe("bolt://a:1");
  });

  it("refuses the old and the new name set to different values, naming the old", () => {
    expect(() => parseConfig({ NEO4J_URI: "bolt://a:1", ACTION_ITEM_NEO4J_URI: "bolt://b:2" })).toThrow(/NEO4J_URI: Renamed ACTION_ITEM_NEO4J_URI/);
  });
});
