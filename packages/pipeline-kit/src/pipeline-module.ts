import type { Config, GraphName } from "@dealgraph/config";
import type { AcceptedEnvelope, EnvelopeV1 } from "@dealgraph/contracts";
import { createLlmProvider, type LlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import type { Database, MigrationContext } from "@dealgraph/store";
import { openGraph, type GraphClient } from "@dealgraph/graph";
import type { Kysely, Migration } from "kysely";
import type { z } from "zod";
import type { ProjectionOutcome } from "./projection-outcome";
import type { OrphanCheck, ProjectionKind } from "./projection-kind";
import type { InProjection } from "./projection-writer";

/** A pipeline's name: snake_case, it names the pipeline's queues, inbox runs and metrics labels. */
export type PipelineName = string;

/** What a worker keeps of one run: the job's return value and the inbox's result. */
export interface PipelineRun {
  summary: Record<string, unknown>;
  llm: { calls: number; promptTokens: number; completionTokens: number };
  /** The graph write stood but Postgres did not take the projection: it goes to the retry path. */
  projectionFailed: boolean;
}

export type ReprojectOutcome = { ok: true } | { ok: false; error: string; retryable: boolean };

/** A pipeline wired to the clients it opened, as a worker or the CLI drives it. */
export interface OpenedPipeline {
  /**
   * `alongside`: the caller's work in the projection's Postgres transaction, given the run as it
   * will be reported (the worker records it done there). It has run, and committed, only if the
   * run's projection did not fail and the pipeline's projector takes such work (every built-in
   * one does); otherwise the caller does it on its own.
   */
  process(envelope: AcceptedEnvelope, alongside?: InProjection<PipelineRun>): Promise<PipelineRun>;
  /** Projects what the interaction wrote to the graph, for the projection retry path. */
  reproject(tenantId: string, interactionId: string): Promise<ReprojectOutcome>;
  /** Dependency checks for /readyz (its graph, for instance). */
  checks: Record<string, () => Promise<unknown>>;
  /** Round trips its graph client has made (GraphClient.roundTrips). */
  graphRoundTrips(): number;
  /** Closes what `open` opened; the caller owns the Postgres pool and model it passed in. */
  close(): Promise<void>;
}

export interface PipelineDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** Shared by several pipelines in one process (the CLI); made from the config when absent. */
  llm?: LlmProvider;
}

/**
 * Everything the rest of the fleet knows of a pipeline (Kysely's `Dialect` is the model: the
 * core knows this interface, each pipeline is a package that exports one). The registry lists
 * the modules; queues, the api's intake, the workers, the reconciler, backfill, the dashboard
 * and the CLI iterate it, and none of them imports a pipeline's internals.
 */
export interface PipelineModule {
  name: PipelineName;
  /** Which Neo4j graph it writes. */
  graph: GraphName;
  /** Its worker process's name (`worker-deals`): logs, Redis client names, the fleet list. */
  workerName: string;
  /** Where its worker serves /healthz, /readyz and /metrics. */
  healthPort(config: Config): number;
  /** Why the pipeline has nothing to do with this envelope (the deal pipeline without an account), or null. */
  skipReason(envelope: EnvelopeV1): string | null;
  /** The summary its worker keeps of a run (what `GET /v1/envelopes/:id` shows under `completed`). */
  runSummarySchema: z.ZodType<Record<string, unknown>>;
  /** The kinds of entity it projects, parents before children (re-projection order; removal runs in reverse). */
  projectionKinds: readonly ProjectionKind[];
  orphanChecks: readonly OrphanCheck[];
  /** Postgres tables of its own (a built-in pipeline's live in the core migrations); recorded apart from the core's. */
  migrations?(context: MigrationContext): Record<string, Migration>;
  /** Connects its graph (schema applied) and wires the pipeline to the given Postgres pool and model. */
  open(config: Config, deps: PipelineDeps): Promise<OpenedPipeline>;
}

/**
 * A pipeline and the graph client it opened, as a worker drives it: each run reduced to its
 * summary, a projection outcome to what the projection retry path reads.
 */
export function drivenPipeline<Result>(
  opened: PipelineOnGraph<{
    process(envelope: AcceptedEnvelope, alongside?: InProjection<Result>): Promise<Result>;
    reproject(tenantId: string, interactionId: string): Promise<ProjectionOutcome<unknown>>;
  }>,
  summarize: (result: Result) => PipelineRun,
): OpenedPipeline {
  const { pipeline, graph, close } = opened;
  return {
    process: async (envelope, alongside) => summarize(await pipeline.process(envelope, alongside && ((trx, result) => alongside(trx, summarize(result))))),
    async reproject(tenantId, interactionId) {
      const outcome = await pipeline.reproject(tenantId, interactionId);
      return outcome.status === "projected" ? { ok: true } : { ok: false, error: outcome.error, retryable: outcome.retryable };
    },
    checks: { [graph.name]: () => graph.ping() },
    graphRoundTrips: () => graph.roundTrips(),
    close,
  };
}

/** A pipeline opened on its graph: the graph client is the pipeline's to close, the pool and model the caller's. */
export interface PipelineOnGraph<Pipeline> {
  pipeline: Pipeline;
  graph: GraphClient;
  close(): Promise<void>;
}

/**
 * Opens `graph` (schema applied) and builds the pipeline on it with the caller's Postgres pool
 * and model (one made from the config when none is given): what every module's `open` does.
 */
export async function openOnGraph<Pipeline>(
  config: Config,
  graphName: GraphName,
  deps: PipelineDeps,
  build: (graph: GraphClient, llm: LlmProvider) => Pipeline,
  /** The pipeline's own constraints in that graph (idempotent statements), applied after the graph's schema. */
  graphSchema: readonly string[] = [],
): Promise<PipelineOnGraph<Pipeline>> {
  const graph = await openGraph(config, graphName, deps.logger, graphSchema);
  try {
    return { pipeline: build(graph, deps.llm ?? createLlmProvider(config)), graph, close: () => graph.close() };
  } catch (error) {
    await graph.close();
    throw error;
  }
}
