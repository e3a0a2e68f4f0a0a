import { GRAPH_NAMES } from "@dealgraph/config";
import { ConfigError, type FieldIssue } from "@dealgraph/errors";
import type { OrphanCheck, PipelineModule, PipelineName, ProjectionKind } from "@dealgraph/pipeline-kit";
import type { ModuleMigrations } from "@dealgraph/store";

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const FUNCTIONS = ["healthPort", "skipReason", "open"] as const;

/** Everything wrong with a set of modules, each issue naming the module and the part. */
export function moduleIssues(modules: readonly PipelineModule[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = { names: new Set<string>(), workers: new Set<string>(), kinds: new Set<string>(), checks: new Set<string>() };
  if (modules.length === 0) issues.push({ path: "pipelines", message: "No pipeline is registered" });
  modules.forEach((module, index) => {
    const at = (part: string) => `pipelines.${typeof module?.name === "string" ? module.name : index}.${part}`;
    if (typeof module?.name !== "string" || !NAME.test(module.name))
      issues.push({ path: at("name"), message: "Must be snake_case: a letter, then letters, digits or _" });
    else if (seen.names.has(module.name)) issues.push({ path: at("name"), message: "Another module has this name" });
    else seen.names.add(module.name);
    if (!GRAPH_NAMES.includes(module?.graph)) issues.push({ path: at("graph"), message: `Must be one of ${GRAPH_NAMES.join(", ")}` });
    if (typeof module?.workerName !== "string" || module.workerName.length === 0) issues.push({ path: at("workerName"), message: "Is required" });
    else if (seen.workers.has(module.workerName)) issues.push({ path: at("workerName"), message: "Another module's worker has this name" });
    else seen.workers.add(module.workerName);
    for (const fn of FUNCTIONS) if (typeof module?.[fn] !== "function") issues.push({ path: at(fn), message: "Must be a function" });
    if (typeof module?.runSummarySchema?.safeParse !== "function") issues.push({ path: at("runSummarySchema"), message: "Must be a zod schema" });
    const kinds = Array.isArray(module?.projectionKinds) ? module.projectionKinds : [];
    if (!Array.isArray(module?.projectionKinds))
      issues.push({ path: at("projectionKinds"), message: "Must be a list (empty when the pipeline projects nothing)" });
    const own = new Set<string>();
    for (const kind of kinds) {
      if (seen.kinds.has(kind.kind)) issues.push({ path: at(`projectionKinds.${kind.kind}`), message: "Another kind has this name" });
      if (kind.graph !== module.graph) issues.push({ path: at(`projectionKinds.${kind.kind}.graph`), message: `Must be the module's graph, ${module.graph}` });
      if (kind.parent && !own.has(kind.parent.kind))
        issues.push({ path: at(`projectionKinds.${kind.kind}.parent`), message: "Must name a kind of the same module listed before it" });
      if (!kind.parent && typeof kind.reproject !== "function")
        issues.push({ path: at(`projectionKinds.${kind.kind}.reproject`), message: "A kind without a parent must re-project itself" });
      if (typeof kind.removeExtras !== "function") issues.push({ path: at(`projectionKinds.${kind.kind}.removeExtras`), message: "Must be a function" });
      seen.kinds.add(kind.kind);
      own.add(kind.kind);
    }
    for (const check of Array.isArray(module?.orphanChecks) ? module.orphanChecks : []) {
      if (seen.checks.has(check.name)) issues.push({ path: at(`orphanChecks.${check.name}`), message: "Another check has this name" });
      seen.checks.add(check.name);
    }
    if (!Array.isArray(module?.orphanChecks)) issues.push({ path: at("orphanChecks"), message: "Must be a list" });
    if (module?.migrations !== undefined && typeof module.migrations !== "function") issues.push({ path: at("migrations"), message: "Must be a function" });
  });
  return issues;
}

/**
 * The pipelines this fleet runs (Immich's job registry is the model: a process refuses to start
 * when a module is incomplete, naming what is missing, rather than failing on its first job).
 */
export class PipelineRegistry {
  readonly names: readonly PipelineName[];

  private constructor(readonly modules: readonly PipelineModule[]) {
    this.names = modules.map((m) => m.name);
  }

  static of(modules: readonly PipelineModule[]): PipelineRegistry {
    const issues = moduleIssues(modules);
    if (issues.length > 0) throw new ConfigError(issues);
    return new PipelineRegistry(modules);
  }

  get(name: string): PipelineModule {
    const found = this.modules.find((m) => m.name === name);
    if (!found) throw new ConfigError([{ path: "pipeline", message: `No pipeline ${JSON.stringify(name)}; registered: ${this.names.join(", ")}` }]);
    return found;
  }

  has(name: string): boolean {
    return this.names.includes(name);
  }

  /** Every module's projection kinds, each module's parents before children. */
  projectionKinds(): readonly ProjectionKind[] {
    return this.modules.flatMap((m) => m.projectionKinds);
  }

  orphanChecks(): readonly OrphanCheck[] {
    return this.modules.flatMap((m) => m.orphanChecks);
  }

  /** The modules' own migrations, for `dealgraph migrate` and the pending-migration check. */
  moduleMigrations(): ModuleMigrations[] {
    return this.modules.flatMap((m) => (m.migrations ? [{ name: m.name, migrations: m.migrations.bind(m) }] : []));
  }
}
