import { ConfigError } from "@dealgraph/errors";
import type { PipelineModule } from "@dealgraph/pipeline-kit";
import { PipelineRegistry, moduleIssues } from "./pipeline-registry";
import { BUILT_IN_PIPELINES, pipelines } from "./registry";

const base = BUILT_IN_PIPELINES[0]!;
const variant = (overrides: Record<string, unknown>) => ({ ...base, ...overrides }) as unknown as PipelineModule;

describe("the pipeline registry", () => {
  it("holds the built-in pipelines, complete, with their kinds parents first", () => {
    expect(pipelines.names).toEqual(["action_items", "deals"]);
    expect(moduleIssues(BUILT_IN_PIPELINES)).toEqual([]);
    const kinds = pipelines.projectionKinds().map((k) => k.kind);
    for (const kind of pipelines.projectionKinds()) if (kind.parent) expect(kinds.indexOf(kind.parent.kind)).toBeLessThan(kinds.indexOf(kind.kind));
  });

  it("refuses an incomplete module, naming the module and every missing part", () => {
    const broken = variant({ name: "word_count", open: undefined, runSummarySchema: {}, graph: "elsewhere", projectionKinds: [], workerName: "worker-words" });
    expect(() => PipelineRegistry.of([broken])).toThrow(ConfigError);
    expect(moduleIssues([broken]).map((i) => i.path)).toEqual([
      "pipelines.word_count.graph",
      "pipelines.word_count.open",
      "pipelines.word_count.runSummarySchema",
    ]);
  });

  it("refuses two modules of one name, a bad name, and a kind whose parent is not listed before it", () => {
    const orphanKind = { ...base.projectionKinds.find((k) => k.parent)!, kind: "loose_versions", parent: { kind: "nowhere", idProperty: "x" } };
    const issues = moduleIssues([base, base, variant({ name: "Words!", workerName: "w", projectionKinds: [orphanKind] })]).map((i) => i.path);
    expect(issues).toEqual(
      expect.arrayContaining([
        "pipelines.action_items.name",
        "pipelines.action_items.workerName",
        "pipelines.Words!.name",
        "pipelines.Words!.projectionKinds.loose_versions.parent",
      ]),
    );
  });

  it("names the registered pipelines when asked for an unknown one", () => {
    expect(() => pipelines.get("words")).toThrow(/No pipeline "words"; registered: action_items, deals/);
  });
});
