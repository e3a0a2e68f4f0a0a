import { isRetryable } from "@dealgraph/errors";
import { warning, type PipelineWarning } from "./pipeline-warning";

/** What happened to an envelope's Postgres projection; a failure is reported, never thrown. */
export type ProjectionOutcome<Counts> = { status: "projected"; counts: Counts } | { status: "failed"; error: string; retryable: boolean };

export function projectionWarnings(projection: ProjectionOutcome<unknown>): PipelineWarning[] {
  return projection.status === "failed" ? [warning("projection_failed", "project", `not written (${projection.error}); the graph holds the change`)] : [];
}

/**
 * Runs a projection after the graph commit. Graph first, projection second: a failure is
 * logged and reported in the outcome, never thrown, because the graph write stands.
 */
export async function runProjection<Counts>(
  log: { error(fields: object, message: string): void },
  work: () => Promise<Counts>,
): Promise<ProjectionOutcome<Counts>> {
  try {
    return { status: "projected", counts: await work() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: message }, "projection failed; the graph write stands");
    return { status: "failed", error: message, retryable: isRetryable(error) };
  }
}
