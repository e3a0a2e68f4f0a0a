import { existsSync } from "node:fs";
import path from "node:path";
import { ConfigError, fieldIssuesFromZod } from "@dealgraph/errors";
import { envSchema, type Env } from "./env-schema";
import { offlineEmbeddingModel, type OfflineEmbeddingModel } from "./offline-embedding-models";

export interface Neo4jConnectionConfig {
  uri: string;
  user: string;
  password: string;
  database: string;
}

/** The fleet's Neo4j graphs: the action-item graph and the deal graph (DESIGN §1). A pipeline writes one of them. */
export const GRAPH_NAMES = ["action_items", "deals"] as const;
export type GraphName = (typeof GRAPH_NAMES)[number];

export interface Config {
  nodeEnv: Env["NODE_ENV"];
  logLevel: Env["LOG_LEVEL"];
  postgres: { url: string; ownerUrl: string; poolMax: number };
  /** `clusterNodes` from REDIS_CLUSTER_NODES: a Redis Cluster instead of the one server at `url`. */
  redis: { url: string; queuePrefix: string; clusterNodes: Array<{ host: string; port: number }> | null };
  /** Each graph's connection: `action_items` from ACTION_ITEM_NEO4J_* (NEO4J_* still read), `deals` from DEAL_NEO4J_*. */
  graphs: Record<GraphName, Neo4jConnectionConfig>;
  embeddings: { dimension: number; batchSize: number };
  llm: LlmConfig;
  /** USD per million tokens by model (LLM_PRICES): what the metrics estimate spend with. */
  llmPrices: Record<string, { input: number; output: number }>;
  /** A fixed delay added to every model call, to see the fleet at a real model's pace (0: none). */
  simulatedLatency: { completionMs: number; embeddingMs: number };
  /** Cosine thresholds of deal matching (DESIGN §6 stage 2). */
  dealMatching: { autoMerge: number; askModel: number };
  /** The same for action items and topics (DESIGN §5). */
  actionItemMatching: { autoMerge: number; askModel: number };
  api: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    keyCacheTtlMs: number;
    intakeWritesInFlight: number;
    /** The longest a request may take to arrive in full, and a connection may sit idle before its first. */
    requestTimeoutMs: number;
    /** Failed authentications per client address per minute, and requests per key per minute, before 429. */
    rateLimits: { badKeysPerMinute: number; requestsPerKeyPerMinute: number };
  };
  /** How the operator CLI reaches the api: its URL and the tenants' keys it may use. */
  cli: { apiUrl: string; apiKeys: string[] };
  /** Bull Board; it refuses to start without a password. */
  dashboard: { host: string; port: number; user: string; password: string | null; readOnly: boolean; failedLoginsPerMinute: number };
  /** The deal room: read-only pages of one tenant, signed into with its API key. */
  dealRoom: { host: string; port: number; secureCookie: boolean; failedLoginsPerMinute: number };
  /** The scheduled reconciler (DESIGN §11). */
  reconciler: { port: number; intervalMs: number; repair: boolean };
  /** Risk signals' thresholds (RISK_*; @dealgraph/risk-signals says what each means), how often the reconciler sweeps every account, how many it refreshes at once. */
  risk: {
    thresholds: {
      stalledDays: number;
      stalledCalls: number;
      quietDays: number;
      minCustomerContacts: number;
      overdueGraceDays: number;
      slipDays: number;
      regressionDrop: number;
    };
    sweepIntervalMs: number;
    /** Accounts one reconciler process refreshes at once. */
    refreshConcurrency: number;
  };
  /** Re-projection of a graph write whose projection failed (DESIGN §2: retried until it lands). */
  projectionRetry: { attempts: number; backoffMs: number; maxBackoffMs: number };
  /** Where the workers' and the reconciler's /healthz, /readyz and /metrics listen (HEALTH_HOST). */
  healthHost: string;
  workers: {
    actionItemsPort: number;
    dealsPort: number;
    /** WORKER_PORT: this worker's health port, over its pipeline's own; null when unset. */
    port: number | null;
    concurrency: number;
    attempts: number;
    backoffMs: number;
    /** How soon a job whose worker died is noticed and handed to another worker. */
    stalledIntervalMs: number;
    /** How long an envelope waits in the inbox for earlier envelopes of its account still on their way. */
    orderingWindowMs: number;
    /** Tests only (0 otherwise): how long a job is held after its graph write, before the inbox records it. */
    testHoldAfterWriteMs: number;
  };
  sweeper: { intervalMs: number; minAgeMs: number };
  /** OpenTelemetry traces: where to export them (OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces); null: off. */
  tracing: { otlpTracesUrl: string | null };
  /** Deliveries to tenants' webhook endpoints (WEBHOOK_*). */
  webhooks: { attempts: number; backoffMs: number; timeoutMs: number; concurrency: number; allowHttp: boolean; allowPrivateNetworks: boolean };
}

export type LlmConfig =
  | { provider: "offline"; embeddingModel: OfflineEmbeddingModel; modelDir: string }
  | {
      provider: "openai";
      apiKey: string;
      baseUrl: string;
      /** Where embeddings are asked for (OPENAI_EMBEDDING_BASE_URL, else baseUrl). */
      embeddingBaseUrl: string;
      chatModel: string;
      embeddingModel: string;
      timeoutMs: number;
      maxRetries: number;
      /** Null: not sent. */
      temperature: number | null;
      maxOutputTokens: number;
      /** Whether embeddings requests carry `dimensions` (EMBEDDING_SEND_DIMENSIONS). */
      sendDimensions: boolean;
    };

/** `auto` picks OpenAI when a key is configured and the offline provider otherwise. */
function llmConfig(e: Env): LlmConfig {
  const provider = e.LLM_PROVIDER === "auto" ? (e.OPENAI_API_KEY ? "openai" : "offline") : e.LLM_PROVIDER;
  if (provider === "offline") {
    return { provider, embeddingModel: offlineEmbeddingModel(e.OFFLINE_EMBEDDING_MODEL), modelDir: path.resolve(e.OFFLINE_MODEL_DIR) };
  }
  if (!e.OPENAI_API_KEY) {
    throw new ConfigError([{ path: "OPENAI_API_KEY", message: "Required when LLM_PROVIDER=openai" }]);
  }
  return {
    provider,
    apiKey: e.OPENAI_API_KEY,
    baseUrl: e.OPENAI_BASE_URL,
    embeddingBaseUrl: e.OPENAI_EMBEDDING_BASE_URL ?? e.OPENAI_BASE_URL,
    chatModel: e.OPENAI_CHAT_MODEL,
    embeddingModel: e.OPENAI_EMBEDDING_MODEL,
    timeoutMs: e.OPENAI_TIMEOUT_MS,
    maxRetries: e.OPENAI_MAX_RETRIES,
    temperature: e.OPENAI_TEMPERATURE ?? null,
    maxOutputTokens: e.OPENAI_MAX_OUTPUT_TOKENS,
    sendDimensions: e.EMBEDDING_SEND_DIMENSIONS === "auto" ? e.OPENAI_EMBEDDING_MODEL.startsWith("text-embedding-3") : e.EMBEDDING_SEND_DIMENSIONS === "true",
  };
}

/** Thresholds as set, else the embedding model's own (OpenAI: DESIGN's 0.90 / 0.70); the band must not be upside down. */
function matchingBand(
  llm: LlmConfig,
  kind: "deal" | "actionItem",
  autoMerge: number | undefined,
  askModel: number | undefined,
  prefix: string,
): { autoMerge: number; askModel: number } {
  const defaults = llm.provider === "offline" ? llm.embeddingModel.matching[kind] : { autoMerge: 0.9, askModel: 0.7 };
  const band = { autoMerge: autoMerge ?? defaults.autoMerge, askModel: askModel ?? defaults.askModel };
  if (band.askModel > band.autoMerge) {
    throw new ConfigError([{ path: `${prefix}_ASK_MODEL`, message: `Must not exceed ${prefix}_AUTO_MERGE` }]);
  }
  return band;
}

/** The vectors' size: what the offline model makes, else EMBEDDING_DIMENSION (1536 when unset). */
function embeddingDimension(e: Env, llm: LlmConfig): number {
  if (llm.provider === "openai") return e.EMBEDDING_DIMENSION ?? 1536;
  const made = llm.embeddingModel.dimension;
  if (e.EMBEDDING_DIMENSION !== undefined && e.EMBEDDING_DIMENSION !== made) {
    throw new ConfigError([
      { path: "EMBEDDING_DIMENSION", message: `The offline model ${llm.embeddingModel.name} makes ${made}-dimension vectors; set ${made} or leave it unset` },
    ]);
  }
  return made;
}

/**
 * Validates the environment and shapes it into `Config`. Throws a ConfigError that lists every
 * bad variable with its own message, so one start-up attempt shows everything to fix.
 * Empty strings count as unset, as they do in most `.env` tooling.
 */
/** Variables renamed, by their old names: the old name is still read when the new one is unset. */
const RENAMED: Record<string, string> = {
  NEO4J_URI: "ACTION_ITEM_NEO4J_URI",
  NEO4J_USER: "ACTION_ITEM_NEO4J_USER",
  NEO4J_PASSWORD: "ACTION_ITEM_NEO4J_PASSWORD",
  NEO4J_DATABASE: "ACTION_ITEM_NEO4J_DATABASE",
};

/**
 * The variables that are set (an empty value counts as unset), under today's names; an old and a
 * new name set to different values is refused, naming the old.
 */
export function setVariables(environment: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const env = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ""));
  const issues = [];
  for (const [old, current] of Object.entries(RENAMED)) {
    if (env[old] === undefined) continue;
    if (env[current] !== undefined && env[current] !== env[old])
      issues.push({ path: old, message: `Renamed ${current}, which is set to another value; unset ${old}` });
    env[current] ??= env[old];
    delete env[old];
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return env;
}

/** `host:port,host:port` (an IPv6 host in brackets) as the cluster's seed nodes. */
function clusterNodes(list: string): Array<{ host: string; port: number }> {
  return list.split(",").map((node) => {
    const at = node.lastIndexOf(":");
    return { host: node.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(node.slice(at + 1)) };
  });
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = envSchema.safeParse(setVariables(env));
  if (!result.success) {
    throw new ConfigError(fieldIssuesFromZod(result.error));
  }
  const e = result.data;
  // A cluster keeps a queue's keys in one slot only under a {hash-tag} prefix; BullMQ's scripts need them there.
  if (e.REDIS_CLUSTER_NODES && !/^\{.+\}$/.test(e.QUEUE_PREFIX)) {
    throw new ConfigError([{ path: "QUEUE_PREFIX", message: "Must be a {hash-tag}, e.g. {dealgraph}, with REDIS_CLUSTER_NODES set" }]);
  }
  const llm = llmConfig(e);
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    postgres: { url: e.DATABASE_URL, ownerUrl: e.DATABASE_OWNER_URL, poolMax: e.DATABASE_POOL_MAX },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX, clusterNodes: e.REDIS_CLUSTER_NODES ? clusterNodes(e.REDIS_CLUSTER_NODES) : null },
    graphs: {
      action_items: {
        uri: e.ACTION_ITEM_NEO4J_URI,
        user: e.ACTION_ITEM_NEO4J_USER,
        password: e.ACTION_ITEM_NEO4J_PASSWORD,
        database: e.ACTION_ITEM_NEO4J_DATABASE,
      },
      deals: { uri: e.DEAL_NEO4J_URI, user: e.DEAL_NEO4J_USER, password: e.DEAL_NEO4J_PASSWORD, database: e.DEAL_NEO4J_DATABASE },
    },
    embeddings: { dimension: embeddingDimension(e, llm), batchSize: e.EMBEDDING_BATCH_SIZE },
    llm,
    llmPrices: e.LLM_PRICES,
    simulatedLatency: { completionMs: e.LLM_SIMULATED_LATENCY_MS, embeddingMs: e.EMBEDDING_SIMULATED_LATENCY_MS },
    dealMatching: matchingBand(llm, "deal", e.DEAL_MATCH_AUTO_MERGE, e.DEAL_MATCH_ASK_MODEL, "DEAL_MATCH"),
    actionItemMatching: matchingBand(llm, "actionItem", e.ACTION_ITEM_MATCH_AUTO_MERGE, e.ACTION_ITEM_MATCH_ASK_MODEL, "ACTION_ITEM_MATCH"),
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      bodyLimitBytes: e.API_BODY_LIMIT_BYTES,
      keyCacheTtlMs: e.API_KEY_CACHE_TTL_MS,
      intakeWritesInFlight: e.API_INTAKE_WRITES_IN_FLIGHT,
      requestTimeoutMs: e.API_REQUEST_TIMEOUT_MS,
      rateLimits: { badKeysPerMinute: e.API_BAD_KEY_LIMIT_PER_MINUTE, requestsPerKeyPerMinute: e.API_KEY_RATE_LIMIT_PER_MINUTE },
    },
    cli: {
      apiUrl: e.DEALGRAPH_API_URL ?? `http://${e.API_HOST}:${e.API_PORT}`,
      apiKeys: (e.DEALGRAPH_API_KEY ?? "")
        .split(",")
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    },
    dashboard: {
      host: e.DASHBOARD_HOST,
      port: e.DASHBOARD_PORT,
      user: e.DASHBOARD_USER,
      password: e.DASHBOARD_PASSWORD ?? null,
      readOnly: e.DASHBOARD_READ_ONLY === "true",
      failedLoginsPerMinute: e.DASHBOARD_FAILED_LOGINS_PER_MINUTE,
    },
    dealRoom: {
      host: e.DEAL_ROOM_HOST,
      port: e.DEAL_ROOM_PORT,
      secureCookie: e.DEAL_ROOM_SECURE_COOKIE === "true",
      failedLoginsPerMinute: e.DEAL_ROOM_FAILED_LOGINS_PER_MINUTE,
    },
    reconciler: { port: e.RECONCILER_PORT, intervalMs: e.RECONCILE_INTERVAL_MS, repair: e.RECONCILE_REPAIR === "true" },
    risk: {
      thresholds: {
        stalledDays: e.RISK_STALLED_DAYS,
        stalledCalls: e.RISK_STALLED_CALLS,
        quietDays: e.RISK_QUIET_DAYS,
        minCustomerContacts: e.RISK_MIN_CUSTOMER_CONTACTS,
        overdueGraceDays: e.RISK_OVERDUE_GRACE_DAYS,
        slipDays: e.RISK_SLIP_DAYS,
        regressionDrop: e.RISK_REGRESSION_DROP,
      },
      sweepIntervalMs: e.RISK_SWEEP_INTERVAL_MS,
      refreshConcurrency: e.RISK_REFRESH_CONCURRENCY,
    },
    projectionRetry: { attempts: e.PROJECTION_ATTEMPTS, backoffMs: e.PROJECTION_BACKOFF_MS, maxBackoffMs: e.PROJECTION_BACKOFF_MAX_MS },
    workers: {
      actionItemsPort: e.WORKER_ACTION_ITEMS_PORT,
      dealsPort: e.WORKER_DEALS_PORT,
      port: e.WORKER_PORT ?? null,
      concurrency: e.WORKER_CONCURRENCY,
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      stalledIntervalMs: e.JOB_STALLED_INTERVAL_MS,
      orderingWindowMs: e.ORDERING_WINDOW_MS,
      testHoldAfterWriteMs: e.WORKER_TEST_HOLD_AFTER_WRITE_MS,
    },
    healthHost: e.HEALTH_HOST,
    sweeper: { intervalMs: e.SWEEPER_INTERVAL_MS, minAgeMs: e.SWEEPER_MIN_AGE_MS },
    tracing: { otlpTracesUrl: e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces` : null },
    webhooks: {
      attempts: e.WEBHOOK_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      concurrency: e.WEBHOOK_CONCURRENCY,
      allowHttp: e.WEBHOOK_ALLOW_HTTP === "true",
      allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === "true",
    },
  };
}

/**
 * Loads `.env` from the working directory when there is one (variables already set in the
 * process win), then parses the environment.
 */
export function loadConfig(cwd: string = process.cwd()): Config {
  loadDotEnv(cwd);
  return parseConfig(process.env);
}

/** Adds `.env` from `cwd`, when there is one, to the process environment; variables already set win. */
export function loadDotEnv(cwd: string = process.cwd()): void {
  const envFile = path.join(cwd, ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
}
