import type { OrphanCheck, ProjectionKind } from "@dealgraph/pipeline-kit";

/** What the reconciler and backfill know of the pipelines: the kinds they project and the orphans they check (the pipeline registry is one). */
export interface ProjectionCatalog {
  /** Each pipeline's kinds, parents before children. */
  projectionKinds(): readonly ProjectionKind[];
  orphanChecks(): readonly OrphanCheck[];
}

export function kindNamed(catalog: ProjectionCatalog, name: string): ProjectionKind {
  const found = catalog.projectionKinds().find((k) => k.kind === name);
  if (!found) throw new Error(`no projection kind ${name}`);
  return found;
}
