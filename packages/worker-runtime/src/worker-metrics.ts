import type { LlmCallOutcome } from "@dealgraph/llm";
import type { Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of a worker process (scraped from its /metrics). */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly jobs = this.counter("dealgraph_jobs_total", "Jobs by pipeline and outcome (completed, retried, dead_lettered, deferred)", [
    "pipeline",
    "outcome",
  ]);
  private readonly duration = new Histogram({
    name: "dealgraph_job_duration_seconds",
    help: "Time to process one envelope",
    labelNames: ["pipeline"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly llmCalls = this.counter(
    "dealgraph_llm_calls_total",
    "Model calls by provider, model, task and outcome (ok, or the error code: LLM_UNAVAILABLE, LLM_REQUEST_REJECTED, LLM_OUTPUT_INVALID, ERROR), failed ones included",
    ["pipeline", "provider", "model", "task", "outcome"],
  );
  private readonly llmLatency = new Histogram({
    name: "dealgraph_llm_call_seconds",
    help: "Model call latency by provider, model and task (a failed call after the client's retries included)",
    labelNames: ["pipeline", "provider", "model", "task"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80],
    registers: [this.registry],
  });
  private readonly llmTokens = this.counter("dealgraph_llm_tokens_total", "Model tokens by provider, model, task and kind (prompt, completion)", [
    "pipeline",
    "provider",
    "model",
    "task",
    "kind",
  ]);
  private readonly llmCost = this.counter(
    "dealgraph_llm_cost_usd_total",
    "Estimated model spend in USD (tokens at LLM_PRICES; a model without a price counts 0)",
    ["pipeline", "provider", "model", "task"],
  );
  private readonly projections = this.counter(
    "dealgraph_projection_retries_total",
    "Projection retry path by pipeline and outcome (queued, retried, projected, exhausted)",
    ["pipeline", "outcome"],
  );

  constructor(private readonly llmPrices: Record<string, { input: number; output: number }> = {}) {
    collectDefaultMetrics({ register: this.registry });
  }

  /** One model call of `pipeline`, as a MeteredProvider reports it. */
  llmCall(pipeline: string, outcome: LlmCallOutcome): void {
    const { provider, model, task } = outcome.ok ? outcome.call : outcome;
    const labels = { pipeline, provider, model, task };
    const error = outcome.ok ? null : outcome.error;
    const code =
      error && typeof error === "object" && "code" in error && typeof error.code === "string" && error.code.startsWith("LLM_") ? error.code : "ERROR";
    this.llmCalls.inc({ ...labels, outcome: outcome.ok ? "ok" : code });
    this.llmLatency.observe(labels, (outcome.ok ? outcome.call.latencyMs : outcome.latencyMs) / 1000);
    if (!outcome.ok) return;
    const { promptTokens, completionTokens } = outcome.call;
    this.llmTokens.inc({ ...labels, kind: "prompt" }, promptTokens);
    this.llmTokens.inc({ ...labels, kind: "completion" }, completionTokens);
    const price = this.llmPrices[model];
    this.llmCost.inc(labels, price ? (promptTokens * price.input + completionTokens * price.output) / 1_000_000 : 0);
  }

  private counter<Label extends string>(name: string, help: string, labelNames: readonly Label[]): Counter<Label> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * `dealgraph_round_trips_total{pipeline,store}`: statements and commits sent to Neo4j and
   * Postgres, read from the clients' own counts at scrape time; per envelope, they say whether a
   * change added chatter (the processing benchmark reads them).
   */
  countRoundTrips(pipeline: string, counts: Record<"neo4j" | "postgres", () => number>): void {
    const reported = { neo4j: 0, postgres: 0 };
    new Counter({
      name: "dealgraph_round_trips_total",
      help: "Round trips to each store (statements and commits) by pipeline",
      labelNames: ["pipeline", "store"] as const,
      registers: [this.registry],
      collect() {
        for (const store of ["neo4j", "postgres"] as const) {
          const now = counts[store]();
          this.inc({ pipeline, store }, now - reported[store]);
          reported[store] = now;
        }
      },
    });
  }

  /** Reports these queues' depths (once per process: the gauge is registered here). */
  watch(queues: readonly Queue[]): void {
    registerQueueDepths(this.registry, queues);
  }

  completed(pipeline: string, seconds: number): void {
    this.jobs.inc({ pipeline, outcome: "completed" });
    this.duration.observe({ pipeline }, seconds);
  }

  failed(pipeline: string, final: boolean): void {
    this.jobs.inc({ pipeline, outcome: final ? "dead_lettered" : "retried" });
  }

  projection(pipeline: string, outcome: "queued" | "retried" | "projected" | "exhausted"): void {
    this.projections.inc({ pipeline, outcome });
  }

  deferred(pipeline: string): void {
    this.jobs.inc({ pipeline, outcome: "deferred" });
  }
}

/**
 * `dealgraph_queue_jobs{queue,state}`: each queue's jobs by state, and
 * `dealgraph_queue_oldest_waiting_seconds{queue}`: how long its oldest waiting job has waited
 * (0 when none), both read from Redis at scrape time. Depth says how much is queued; age says
 * whether anything is taking it.
 */
export function registerQueueDepths(registry: Registry, queues: readonly Queue[]): void {
  new Gauge({
    name: "dealgraph_queue_jobs",
    help: "Jobs per queue and state",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      for (const queue of queues) {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed");
        for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
      }
    },
  });
  new Gauge({
    name: "dealgraph_queue_oldest_waiting_seconds",
    help: "Age of the oldest job waiting in each queue (0: none waiting)",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      for (const queue of queues) {
        const [oldest] = await queue.getJobs(["waiting"], 0, 0, true);
        this.set({ queue: queue.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
      }
    },
  });
}
