/*
 * What `.env.example` says of each variable, in its order: the file is generated from this and
 * the schemas (`pnpm env:example`), so a default is written once, in the schema, and a unit test
 * fails when the file and the schemas part.
 */

export interface DocumentedVariable {
  name: string;
  /** Comment lines above the variable. */
  doc?: readonly string[];
}

export const ENV_EXAMPLE_HEADER: readonly string[] = [
  "dealgraph configuration. Every variable has the local default shown here; the apps, the CLI and",
  "scripts/services.sh read `.env` in the project root when it exists, and variables already set",
  "in the environment win over both. Copy to `.env` only to change something.",
];

export const ENV_EXAMPLE_SECTIONS: ReadonlyArray<{ title: string; variables: readonly DocumentedVariable[] }> = [
  {
    title: "General",
    variables: [
      { name: "NODE_ENV", doc: ["production (the default) | development | test"] },
      { name: "LOG_LEVEL", doc: ["fatal | error | warn | info | debug | trace | silent"] },
    ],
  },
  {
    title: "Postgres (the projection)",
    variables: [
      { name: "DATABASE_URL", doc: ["The apps connect as a role that is neither owner nor superuser, so row-level security holds."] },
      { name: "DATABASE_OWNER_URL", doc: ["Migrations run as the schema owner."] },
      { name: "DATABASE_POOL_MAX", doc: ["Connections per process."] },
    ],
  },
  {
    title: "Redis (BullMQ)",
    variables: [
      { name: "REDIS_URL", doc: ["Must run with maxmemory-policy noeviction (evicted locks break jobs)."] },
      { name: "QUEUE_PREFIX", doc: ["Key prefix of every queue; a {hash-tag} keeps each queue's keys in one Redis Cluster slot."] },
      {
        name: "REDIS_CLUSTER_NODES",
        doc: [
          "A Redis Cluster instead of one server: some of its nodes as host:port,host:port (the client learns the rest).",
          "REDIS_URL then only gives the credentials and TLS (rediss://); QUEUE_PREFIX must be a {hash-tag}.",
        ],
      },
    ],
  },
  {
    title: "Neo4j: the action-item graph",
    variables: [
      { name: "ACTION_ITEM_NEO4J_URI" },
      { name: "ACTION_ITEM_NEO4J_USER" },
      { name: "ACTION_ITEM_NEO4J_PASSWORD" },
      { name: "ACTION_ITEM_NEO4J_DATABASE" },
    ],
  },
  {
    title: "Neo4j: the deal graph (may point at the same server as the action-item graph)",
    variables: [{ name: "DEAL_NEO4J_URI" }, { name: "DEAL_NEO4J_USER" }, { name: "DEAL_NEO4J_PASSWORD" }, { name: "DEAL_NEO4J_DATABASE" }],
  },
  {
    title: "Embeddings",
    variables: [
      {
        name: "EMBEDDING_DIMENSION",
        doc: [
          "Vector size of every embedding (graph vector indexes and Postgres columns). Unset: the offline",
          "model's size (384) with the offline provider, 1536 with OpenAI. Changing it on a store that has",
          "vectors needs new indexes: the start-up error says which.",
        ],
      },
      { name: "EMBEDDING_BATCH_SIZE", doc: ["Texts per embeddings request."] },
    ],
  },
  {
    title: "Language model",
    variables: [
      { name: "LLM_PROVIDER", doc: ["auto: openai when OPENAI_API_KEY is set, else offline (deterministic rules, no network)."] },
      {
        name: "OFFLINE_EMBEDDING_MODEL",
        doc: [
          "The offline provider's sentence-embedding model (ONNX, installed from Maven Central by",
          "scripts/models.sh, which `pnpm services:up` runs): all-minilm-l6-v2-q, all-minilm-l6-v2,",
          'bge-small-en-v15-q or e5-small-v2-q. README "Language models" gives the measurements.',
        ],
      },
      { name: "OFFLINE_MODEL_DIR" },
      {
        name: "LLM_SIMULATED_LATENCY_MS",
        doc: [
          "A fixed delay added to every completion / embeddings batch, to run the offline provider at a",
          "real model's pace (benchmarks, fault tests). 0 in production.",
        ],
      },
      { name: "EMBEDDING_SIMULATED_LATENCY_MS" },
      { name: "OPENAI_API_KEY", doc: ["Secret: set it in the environment or in `.env`, never in a committed file."] },
      { name: "OPENAI_BASE_URL", doc: ["Any OpenAI-compatible server works."] },
      {
        name: "OPENAI_EMBEDDING_BASE_URL",
        doc: ["Where embeddings are asked for, when not OPENAI_BASE_URL (vLLM and llama.cpp serve them from another process)."],
      },
      { name: "OPENAI_CHAT_MODEL" },
      { name: "OPENAI_EMBEDDING_MODEL", doc: ["Must produce EMBEDDING_DIMENSION-sized vectors (text-embedding-3-* accept a `dimensions` request)."] },
      { name: "OPENAI_TIMEOUT_MS", doc: ["Per request; the client retries 408/409/429/5xx, timeouts and lost connections with backoff."] },
      { name: "OPENAI_MAX_RETRIES" },
      {
        name: "LLM_PRICES",
        doc: [
          "USD per million tokens by model, for the estimated spend in dealgraph_llm_cost_usd_total. The",
          "default is OpenAI's list price of the default models when written; a model not listed costs 0.",
        ],
      },
      { name: "OPENAI_TEMPERATURE", doc: ["Sent only when set; GPT-5 and o-series models refuse any value but their default."] },
      {
        name: "OPENAI_MAX_OUTPUT_TOKENS",
        doc: ["Sent as max_completion_tokens: a runaway answer stops there (and fails as truncated) instead of", "being paid for again on each retry."],
      },
      {
        name: "EMBEDDING_SEND_DIMENSIONS",
        doc: [
          "Whether embeddings requests carry `dimensions`. auto: only for text-embedding-3-* models; set true",
          "for a local Matryoshka model, false for a server that refuses the field. Vectors are checked",
          "against EMBEDDING_DIMENSION either way.",
        ],
      },
    ],
  },
  {
    title: "Deal matching (cosine similarity against the same tenant and account's deals)",
    variables: [
      {
        name: "DEAL_MATCH_AUTO_MERGE",
        doc: [
          "At or above: merge without asking. Between the two: ask the model. Below: a new deal.",
          "Unset: 0.90 / 0.70 with OpenAI's embeddings; offline, the model's own band from",
          "packages/config/offline-embedding-models.json (all-minilm-l6-v2-q: 0.80 / 0.50, measured with",
          "`dealgraph eval --match-scores`; each model has its own cosine scale).",
        ],
      },
      { name: "DEAL_MATCH_ASK_MODEL" },
    ],
  },
  {
    title: "Action-item and topic matching (same rule, against the tenant and account's items/topics)",
    variables: [
      { name: "ACTION_ITEM_MATCH_AUTO_MERGE", doc: ["Unset: 0.90 / 0.70 with OpenAI; all-minilm-l6-v2-q: 0.85 / 0.60."] },
      { name: "ACTION_ITEM_MATCH_ASK_MODEL" },
    ],
  },
  {
    title: "The fleet: api, dashboard, workers",
    variables: [
      { name: "API_HOST" },
      { name: "API_PORT" },
      {
        name: "API_BODY_LIMIT_BYTES",
        doc: [
          "Above the envelope's own limits (256 KiB of text, 16 KiB of extras) so oversize fields get a",
          "field-level 400; a larger body is refused with 413.",
        ],
      },
      {
        name: "API_KEY_CACHE_TTL_MS",
        doc: [
          "How long the api trusts a key it found valid before asking Postgres again (one round trip less",
          "per post). `dealgraph keys revoke` tells every api process through Redis, so a revoked key stops",
          "within a moment whatever this is; 0 asks every time.",
        ],
      },
      {
        name: "API_BAD_KEY_LIMIT_PER_MINUTE",
        doc: [
          "Rate limits, kept in Redis so every api process shares them (429 with Retry-After): failed",
          "authentications per client address per minute, and requests per key per minute.",
        ],
      },
      { name: "API_KEY_RATE_LIMIT_PER_MINUTE" },
      {
        name: "API_INTAKE_WRITES_IN_FLIGHT",
        doc: [
          "Batches of posted envelopes the api writes at once: with two, one batch's jobs go to Redis while",
          "the next batch's rows go to Postgres (arrays of 100: about 1.3 x the rate of one at a time on two",
          "cores; three is no better).",
        ],
      },
      {
        name: "API_REQUEST_TIMEOUT_MS",
        doc: [
          "The longest a request may take to arrive in full (a 2 MiB body needs well under this on any link",
          "a producer uses); a caller trickling its body, or holding an idle socket, gets 408 and is closed.",
        ],
      },
      {
        name: "DEALGRAPH_API_URL",
        doc: [
          "The operator CLI (`dealgraph enqueue`, `dealgraph status`): the api's URL (default",
          "http://API_HOST:API_PORT) and the tenant API keys it posts with, comma-separated. Secrets: set",
          "them in the environment or .env, never in a committed file.",
        ],
      },
      { name: "DEALGRAPH_API_KEY" },
      {
        name: "DASHBOARD_HOST",
        doc: [
          "Bull Board (HTTP basic authentication). It refuses to start without DASHBOARD_PASSWORD (at",
          "least 12 characters); `pnpm start` and `pnpm demo` generate one for the session when it is unset.",
        ],
      },
      { name: "DASHBOARD_PORT" },
      { name: "DASHBOARD_USER" },
      { name: "DASHBOARD_PASSWORD" },
      { name: "DASHBOARD_READ_ONLY", doc: ["true: operators can look but not retry, remove, clean, pause or add jobs (enforced by the server)."] },
      {
        name: "DASHBOARD_FAILED_LOGINS_PER_MINUTE",
        doc: ["Failed logins per client address per minute; past them the board answers 429 until the minute is over."],
      },
      {
        name: "DEAL_ROOM_HOST",
        doc: [
          "The deal room (`pnpm deal-room`): a tenant's accounts, deals with their timeline and evidence,",
          "action items and risk signals, read-only. Sign in with one of the tenant's API keys; the key is",
          "kept in an HttpOnly, SameSite=Strict cookie (Secure with DEAL_ROOM_SECURE_COOKIE=true, behind TLS).",
        ],
      },
      { name: "DEAL_ROOM_PORT" },
      { name: "DEAL_ROOM_SECURE_COOKIE" },
      { name: "DEAL_ROOM_FAILED_LOGINS_PER_MINUTE", doc: ["Failed sign-ins per client address per minute before 429."] },
      { name: "HEALTH_HOST", doc: ["Where the workers' and the reconciler's /healthz, /readyz and /metrics listen; 0.0.0.0 in a container."] },
      { name: "WORKER_ACTION_ITEMS_PORT" },
      { name: "WORKER_DEALS_PORT" },
      { name: "WORKER_PORT", doc: ["One worker's health port, over its pipeline's own (to run two workers of one pipeline on a host)."] },
      {
        name: "PIPELINE_MODULES",
        doc: [
          "Pipelines kept outside this repository: comma-separated files that each export `pipelineModule`",
          '(see "Adding a pipeline" in the README). Every process of the fleet must be given the same list.',
        ],
      },
      {
        name: "WORKER_CONCURRENCY",
        doc: [
          "Jobs each worker process runs at once (envelopes of one account still run one at a time).",
          "4 is what this machine (2 cores, every service local) does best: the processing benchmark ran",
          "3.3 envelopes/s end to end at 4 and 1.6 at 8, where the jobs only contend for the cores.",
        ],
      },
      { name: "JOB_ATTEMPTS", doc: ["Attempts per job before the dead-letter queue; retries back off exponentially from JOB_BACKOFF_MS, with jitter."] },
      { name: "JOB_BACKOFF_MS" },
      { name: "JOB_STALLED_INTERVAL_MS", doc: ["A job whose worker died (SIGKILL, lost host) is handed to another worker after about this long."] },
      {
        name: "WORKER_TEST_HOLD_AFTER_WRITE_MS",
        doc: [
          "Tests only: a worker holds each job this long after its graph write (before the inbox records",
          "it), so that a test can kill it exactly there. Leave at 0.",
        ],
      },
      {
        name: "ORDERING_WINDOW_MS",
        doc: [
          "An envelope is applied only after it has been in the inbox this long, so that envelopes of one",
          "account posted at about the same time are applied in timestamp order, not in arrival order.",
        ],
      },
      {
        name: "PROJECTION_ATTEMPTS",
        doc: [
          "A graph write whose Postgres projection failed (Postgres down, a deadlock, a timeout) is",
          "re-projected from the graph through the pipeline's projection queue: exponential backoff from",
          "PROJECTION_BACKOFF_MS, capped at PROJECTION_BACKOFF_MAX_MS, for PROJECTION_ATTEMPTS attempts",
          "(the defaults outlast about 1.5 hours of outage; the reconciler repairs anything beyond).",
        ],
      },
      { name: "PROJECTION_BACKOFF_MS" },
      { name: "PROJECTION_BACKOFF_MAX_MS" },
      {
        name: "RECONCILER_PORT",
        doc: [
          "The reconciler compares the graphs with Postgres for every tenant every RECONCILE_INTERVAL_MS",
          "(a BullMQ job scheduler, so one run at a time however many reconcilers run) and, with",
          "RECONCILE_REPAIR=true, re-projects what is missing or stale and removes rows with no entity.",
        ],
      },
      { name: "RECONCILE_INTERVAL_MS" },
      { name: "RECONCILE_REPAIR" },
      {
        name: "RISK_SWEEP_INTERVAL_MS",
        doc: [
          "The reconciler evaluates every account's risk signals again this often, so that time-based",
          "ones (stalled, gone quiet, close date passed, overdue items) rise and clear without a new call.",
          "Each RISK_* threshold is what the README's risk-signal table says it is.",
        ],
      },
      { name: "RISK_REFRESH_CONCURRENCY", doc: ["Refreshes (one account each) a reconciler process runs at once, from the risk-signals queue."] },
      { name: "RISK_STALLED_DAYS" },
      { name: "RISK_STALLED_CALLS" },
      { name: "RISK_QUIET_DAYS" },
      { name: "RISK_MIN_CUSTOMER_CONTACTS" },
      { name: "RISK_OVERDUE_GRACE_DAYS" },
      { name: "RISK_SLIP_DAYS" },
      { name: "RISK_REGRESSION_DROP" },
      { name: "SWEEPER_INTERVAL_MS", doc: ["The api's sweeper re-enqueues inbox entries older than SWEEPER_MIN_AGE_MS whose jobs Redis lost."] },
      { name: "SWEEPER_MIN_AGE_MS" },
    ],
  },
  {
    title: "Traces (OpenTelemetry)",
    variables: [
      {
        name: "OTEL_EXPORTER_OTLP_ENDPOINT",
        doc: [
          "An OTLP/HTTP collector (http://collector:4318): the api and the workers export one trace per envelope",
          "per pipeline (api, queue, worker, Neo4j, Postgres, model calls). Unset: tracing is off.",
        ],
      },
    ],
  },
  {
    title: "Webhooks (deliveries to the endpoints tenants register; sent by the workers)",
    variables: [
      {
        name: "WEBHOOK_ATTEMPTS",
        doc: ["Attempts per delivery, with exponential back-off from WEBHOOK_BACKOFF_MS; then the webhooks' dead-letter queue."],
      },
      { name: "WEBHOOK_BACKOFF_MS" },
      { name: "WEBHOOK_TIMEOUT_MS", doc: ["How long a receiver may take to answer one delivery."] },
      { name: "WEBHOOK_CONCURRENCY", doc: ["Deliveries in flight per worker process."] },
      { name: "WEBHOOK_ALLOW_HTTP", doc: ["true: endpoints may be plain http (a private network, tests); https only otherwise."] },
      {
        name: "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
        doc: [
          "true: endpoints may be on loopback, private or link-local addresses. Off, a tenant's URL cannot make the",
          "workers call the deployment's own network (a metadata service, an internal port): checked at registration",
          "and at every connection, whatever the name resolves to then.",
        ],
      },
    ],
  },
  {
    title: "Local services (read by scripts/services.sh only)",
    variables: [
      { name: "POSTGRES_ADMIN_URL", doc: ["Superuser connection used once to create the database and its two roles."] },
      { name: "DEALGRAPH_LOCAL_DIR", doc: ["Where the project keeps the Neo4j data, logs and pid files it starts."] },
      {
        name: "NEO4J_HEAP",
        doc: [
          "JVM heap and page cache of each local Neo4j server. Matching reads every candidate's vectors",
          "from the store, so the page cache should hold them: 3 GB holds 200,000 deals' two 1,536-float",
          "vectors (the matching benchmark); Neo4j allocates it as pages are used, not at start.",
        ],
      },
      { name: "NEO4J_PAGE_CACHE_MB" },
    ],
  },
];
