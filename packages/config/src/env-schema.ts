import { z } from "zod";
import { OFFLINE_EMBEDDING_MODEL_NAMES } from "./offline-embedding-models";

/*
 * Every variable the apps and the CLI read, with its local default: the one place a default is
 * written. `.env.example` is generated from this and env-docs.ts (`pnpm env:example`), so a fresh
 * clone runs against the services `pnpm services:up` starts without any `.env`.
 */

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `Must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );

const positiveInt = (max: number) =>
  z.coerce.number({ error: "Must be a number" }).int("Must be a whole number").min(1, "Must be at least 1").max(max, `Must be at most ${max}`);

const unitInterval = z.coerce.number({ error: "Must be a number" }).min(0, "Must be between 0 and 1").max(1, "Must be between 0 and 1");

const boltUrl = url(["bolt:", "bolt+s:", "bolt+ssc:", "neo4j:", "neo4j+s:", "neo4j+ssc:"]);
const postgresUrl = url(["postgres:", "postgresql:"]);

const llmPricesSchema = z.record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0) }));

export const envSchema = z.object({
  // The fleet runs as production unless told otherwise: development turns on libraries' debugging output.
  NODE_ENV: z.enum(["development", "test", "production"]).default("production"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DATABASE_URL: postgresUrl.default("postgres://dealgraph_app:dealgraph_app@127.0.0.1:5432/dealgraph"),
  DATABASE_OWNER_URL: postgresUrl.default("postgres://dealgraph_owner:dealgraph_owner@127.0.0.1:5432/dealgraph"),
  DATABASE_POOL_MAX: positiveInt(200).default(10),

  REDIS_URL: url(["redis:", "rediss:"]).default("redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]+\}|[A-Za-z0-9_-]+)$/, "Must be a word or a {hash-tag}, e.g. {dealgraph}")
    .default("{dealgraph}"),
  // A Redis Cluster, by some of its nodes: host:port,host:port (credentials and TLS from REDIS_URL).
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]-]+:\d{1,5}(,[A-Za-z0-9.:[\]-]+:\d{1,5})*$/, "Must be host:port pairs separated by commas, e.g. 10.0.0.1:6379,10.0.0.2:6379")
    .optional(),

  ACTION_ITEM_NEO4J_URI: boltUrl.default("bolt://127.0.0.1:7687"),
  ACTION_ITEM_NEO4J_USER: z.string().min(1).default("neo4j"),
  ACTION_ITEM_NEO4J_PASSWORD: z.string().min(8, "Must be at least 8 characters (Neo4j's minimum)").default("dealgraph-dev"),
  ACTION_ITEM_NEO4J_DATABASE: z.string().min(1).default("neo4j"),

  DEAL_NEO4J_URI: boltUrl.default("bolt://127.0.0.1:7688"),
  DEAL_NEO4J_USER: z.string().min(1).default("neo4j"),
  DEAL_NEO4J_PASSWORD: z.string().min(8, "Must be at least 8 characters (Neo4j's minimum)").default("dealgraph-dev"),
  DEAL_NEO4J_DATABASE: z.string().min(1).default("neo4j"),

  // Unset: the offline model's size (384) offline, 1536 with OpenAI (text-embedding-3-*).
  EMBEDDING_DIMENSION: positiveInt(4096).optional(),
  EMBEDDING_BATCH_SIZE: positiveInt(2048).default(256),

  LLM_SIMULATED_LATENCY_MS: z.coerce.number({ error: "Must be a number" }).int().min(0).max(60_000).default(0),
  EMBEDDING_SIMULATED_LATENCY_MS: z.coerce.number({ error: "Must be a number" }).int().min(0).max(60_000).default(0),
  LLM_PROVIDER: z.enum(["auto", "offline", "openai"]).default("auto"),
  // all-minilm-l6-v2-q (int8 MiniLM): the widest paraphrase/unrelated margin of the catalogue on
  // this machine's probe (paraphrase 0.62-0.66, unrelated 0.04-0.14; bge-small puts unrelated
  // pairs at 0.36-0.60), a quarter of the float model's size at the same scores on the labelled
  // set, and 60 ms for 64 sentences on two cores. README "Language models" has the measurements.
  OFFLINE_EMBEDDING_MODEL: z.enum(OFFLINE_EMBEDDING_MODEL_NAMES).default("all-minilm-l6-v2-q"),
  // Where scripts/models.sh installs the models (relative paths from the project root).
  OFFLINE_MODEL_DIR: z.string().min(1).default(".local/models"),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url(["http:", "https:"]).default("https://api.openai.com/v1"),
  // Unset: OPENAI_BASE_URL. Local servers often serve embeddings from a process of their own.
  OPENAI_EMBEDDING_BASE_URL: url(["http:", "https:"]).optional(),
  OPENAI_CHAT_MODEL: z.string().min(1).default("gpt-4.1-mini"),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  OPENAI_TIMEOUT_MS: positiveInt(600_000).default(60_000),
  OPENAI_MAX_RETRIES: z.coerce.number({ error: "Must be a number" }).int().min(0).max(10).default(4),
  // Estimated spend: USD per million tokens, per model. The defaults are OpenAI's list prices for
  // the default models when this was written; set your own (contract prices, other models).
  LLM_PRICES: z
    .string()
    .default('{"gpt-4.1-mini":{"input":0.4,"output":1.6},"text-embedding-3-small":{"input":0.02,"output":0}}')
    .transform((text, ctx) => {
      try {
        const parsed = llmPricesSchema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: "custom", message: 'Must map models to {"input": n, "output": n} (USD per million tokens)' });
      } catch {
        ctx.addIssue({ code: "custom", message: "Must be JSON" });
      }
      return z.NEVER;
    }),
  // Unset: not sent, so the model's default applies (GPT-5 and o-series models accept no other).
  OPENAI_TEMPERATURE: z.coerce.number({ error: "Must be a number" }).min(0).max(2).optional(),
  // An extraction of a long call with many deals stays well under 8k; o-series reasoning counts too.
  OPENAI_MAX_OUTPUT_TOKENS: positiveInt(1_000_000).default(16_384),
  // auto: only text-embedding-3-* models are sent `dimensions` (ada-002 and most local models refuse it).
  EMBEDDING_SEND_DIMENSIONS: z.enum(["auto", "true", "false"]).default("auto"),

  // Unset: 0.90 / 0.70 with OpenAI's embeddings (DESIGN §6), and the offline model's own
  // calibrated values offline (packages/config/offline-embedding-models.json), since each model
  // has its own cosine scale.
  DEAL_MATCH_AUTO_MERGE: unitInterval.optional(),
  DEAL_MATCH_ASK_MODEL: unitInterval.optional(),
  ACTION_ITEM_MATCH_AUTO_MERGE: unitInterval.optional(),
  ACTION_ITEM_MATCH_ASK_MODEL: unitInterval.optional(),

  API_HOST: z.string().min(1).default("127.0.0.1"),
  API_PORT: positiveInt(65_535).default(8080),
  API_KEY_CACHE_TTL_MS: z.coerce.number({ error: "Must be a number" }).int().min(0).max(3_600_000).default(30_000),
  API_BODY_LIMIT_BYTES: positiveInt(16 * 1024 * 1024).default(2 * 1024 * 1024),
  // 2: one batch's jobs go to Redis while the next batch's rows go to Postgres. Arrays of 100,
  // 8 in flight (enqueue benchmark, two cores): 5,100-5,300 envelopes/s at 1, 6,400-7,300 at 2,
  // 6,900-7,300 at 3 (each batch's Postgres time grows with more). One per post: no change.
  // Per client address, failed authentications a minute before 429; per key, requests a minute.
  API_BAD_KEY_LIMIT_PER_MINUTE: positiveInt(100_000).default(30),
  API_KEY_RATE_LIMIT_PER_MINUTE: positiveInt(10_000_000).default(12_000),
  API_INTAKE_WRITES_IN_FLIGHT: positiveInt(16).default(2),
  API_REQUEST_TIMEOUT_MS: positiveInt(600_000).default(30_000),
  // The operator CLI's way in through the api (enqueue, status); several keys are comma-separated.
  DEALGRAPH_API_URL: z.url({ error: "Must be a URL" }).optional(),
  DEALGRAPH_API_KEY: z.string().min(1).optional(),
  DASHBOARD_HOST: z.string().min(1).default("127.0.0.1"),
  DASHBOARD_PORT: positiveInt(65_535).default(8081),
  DASHBOARD_USER: z.string().min(1).default("operator"),
  DASHBOARD_PASSWORD: z.string().min(12, "Must be at least 12 characters").optional(),
  DASHBOARD_READ_ONLY: z.enum(["true", "false"]).default("false"),
  // Failed dashboard logins per client address per minute before 429.
  DASHBOARD_FAILED_LOGINS_PER_MINUTE: positiveInt(100_000).default(10),
  // The deal room: a tenant's read-only pages, signed into with one of its API keys.
  DEAL_ROOM_HOST: z.string().min(1).default("127.0.0.1"),
  DEAL_ROOM_PORT: positiveInt(65_535).default(8082),
  // Behind TLS (directly or at a proxy): the session cookie is sent over https only.
  DEAL_ROOM_SECURE_COOKIE: z.enum(["true", "false"]).default("false"),
  DEAL_ROOM_FAILED_LOGINS_PER_MINUTE: positiveInt(100_000).default(10),
  // Where the workers' and the reconciler's health and metrics servers listen: 0.0.0.0 in a
  // container (probes and Prometheus come from outside it).
  HEALTH_HOST: z.string().min(1).default("127.0.0.1"),
  WORKER_ACTION_ITEMS_PORT: positiveInt(65_535).default(9101),
  WORKER_DEALS_PORT: positiveInt(65_535).default(9102),
  // One worker's health port whatever its pipeline (two workers of one pipeline on one host).
  WORKER_PORT: positiveInt(65_535).optional(),
  // 4: the processing benchmark's best on two cores (3.3 envelopes/s; 1.6 at 8). See .env.example.
  WORKER_CONCURRENCY: positiveInt(256).default(4),
  JOB_ATTEMPTS: positiveInt(50).default(5),
  JOB_BACKOFF_MS: positiveInt(3_600_000).default(2000),
  JOB_STALLED_INTERVAL_MS: positiveInt(3_600_000).default(15_000),
  // Tests only: a worker holds each job this long after its graph write, so a test can kill it there.
  WORKER_TEST_HOLD_AFTER_WRITE_MS: z.coerce.number({ error: "Must be a number" }).int().min(0).max(600_000).default(0),
  ORDERING_WINDOW_MS: z.coerce.number({ error: "Must be a number" }).int().min(0).max(600_000).default(1000),
  PROJECTION_ATTEMPTS: positiveInt(10_000).default(100),
  PROJECTION_BACKOFF_MS: positiveInt(3_600_000).default(1000),
  PROJECTION_BACKOFF_MAX_MS: positiveInt(3_600_000).default(60_000),
  RECONCILER_PORT: positiveInt(65_535).default(9103),
  RECONCILE_INTERVAL_MS: positiveInt(7 * 86_400_000).default(3_600_000),
  RECONCILE_REPAIR: z.enum(["true", "false"]).default("false"),
  // Risk signals (@dealgraph/risk-signals): where each rule draws its line, and how often every
  // account is evaluated again so that time-based signals rise without a new call.
  RISK_STALLED_DAYS: positiveInt(3650).default(30),
  RISK_STALLED_CALLS: positiveInt(1000).default(3),
  RISK_QUIET_DAYS: positiveInt(3650).default(21),
  RISK_MIN_CUSTOMER_CONTACTS: positiveInt(100).default(2),
  RISK_OVERDUE_GRACE_DAYS: z.coerce
    .number({ error: "Must be a number" })
    .int("Must be a whole number")
    .min(0, "Must be 0 or more")
    .max(365, "Must be at most 365")
    .default(0),
  RISK_SLIP_DAYS: z.coerce
    .number({ error: "Must be a number" })
    .int("Must be a whole number")
    .min(0, "Must be 0 or more")
    .max(3650, "Must be at most 3650")
    .default(14),
  RISK_REGRESSION_DROP: unitInterval.refine((v) => v > 0, "Must be more than 0").default(0.1),
  RISK_SWEEP_INTERVAL_MS: positiveInt(7 * 86_400_000).default(3_600_000),
  RISK_REFRESH_CONCURRENCY: positiveInt(64).default(2),
  // Webhook deliveries: attempts with exponential back-off from WEBHOOK_BACKOFF_MS (8 attempts
  // from 2 s: the last about 4 minutes after the first), then the webhooks' dead-letter queue.
  WEBHOOK_ATTEMPTS: positiveInt(50).default(8),
  WEBHOOK_BACKOFF_MS: positiveInt(3_600_000).default(2000),
  WEBHOOK_TIMEOUT_MS: positiveInt(120_000).default(10_000),
  WEBHOOK_CONCURRENCY: positiveInt(256).default(8),
  // Plain-http endpoints (a receiver on a private network, tests); https only otherwise.
  WEBHOOK_ALLOW_HTTP: z.enum(["true", "false"]).default("false"),
  // Receivers on loopback, private or link-local addresses (an internal deployment, tests); refused otherwise.
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(["true", "false"]).default("false"),
  // Traces go to this OTLP/HTTP collector (`/v1/traces` is appended); unset: tracing is off.
  OTEL_EXPORTER_OTLP_ENDPOINT: url(["http:", "https:"]).optional(),
  SWEEPER_INTERVAL_MS: positiveInt(3_600_000).default(30_000),
  SWEEPER_MIN_AGE_MS: positiveInt(86_400_000).default(30_000),
});

export type Env = z.infer<typeof envSchema>;
