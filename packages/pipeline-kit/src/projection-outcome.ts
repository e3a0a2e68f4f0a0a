/** What happened to an envelope's Postgres projection; a failure is reported, never thrown. */
export type ProjectionOutcome<Counts> =
  | { status: "projected"; counts: Counts }
  | { status: "failed"; error: string; retryable: boolean };

export function projectionWarnings(projection: ProjectionOutcome<unknown>): string[] {
  return projection.status === "failed" ? [`projection: not written (${projection.error}); the graph holds the change`] : [];
}
