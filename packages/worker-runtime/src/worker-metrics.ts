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
  private readonly llmCalls = this.counter("dealgraph_llm_calls_total", "Model calls", ["pipeline"]);
  private readonly llmTokens = this.counter("dealgraph_llm_tokens_total", "Model tokens by kind (prompt, completion)", ["pipeline", "kind"]);
  private readonly projections = this.counter(
    "dealgraph_projection_retries_total",
    "Projection retry path by pipeline and outcome (queued, retried, projected, exhausted)",
    ["pipeline", "outcome"],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
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

  completed(pipeline: string, seconds: number, llm: { calls: number; promptTokens: number; completionTokens: number }): void {
    this.jobs.inc({ pipeline, outcome: "completed" });
    this.duration.observe({ pipeline }, seconds);
    this.llmCalls.inc({ pipeline }, llm.calls);
    this.llmTokens.inc({ pipeline, kind: "prompt" }, llm.promptTokens);
    this.llmTokens.inc({ pipeline, kind: "completion" }, llm.completionTokens);
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

/** `dealgraph_queue_jobs{queue,state}`: each queue's jobs by state, read from Redis at scrape time. */
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
}
