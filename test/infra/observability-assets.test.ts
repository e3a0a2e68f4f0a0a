import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/*
 * The Grafana dashboard and the Prometheus alert rules in infra/ are checked like code: they
 * parse, and every expression names only metrics the fleet exports, so a renamed metric fails
 * here instead of leaving an alert that can never fire.
 */

const root = path.resolve(__dirname, "../..");

/** Every `dealgraph_*` metric the processes register (the files that create their registries). */
function exportedMetrics(): Set<string> {
  const dirs = ["packages/worker-runtime/src", "apps/api/src", "apps/reconciler/src"];
  const names = new Set<string>();
  for (const dir of dirs) {
    for (const file of readdirSync(path.join(root, dir)).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      for (const [, name] of readFileSync(path.join(root, dir, file), "utf8").matchAll(/"(dealgraph_[a-z_]+)"/g)) names.add(name!);
    }
  }
  return names;
}

const metrics = exportedMetrics();
const HISTOGRAM_SERIES = /_(bucket|count|sum)$/;

/** The metric names an expression uses that nothing exports. */
function unknownMetrics(expr: string): string[] {
  return [...expr.matchAll(/\b(dealgraph_[a-z_]+)/g)].map(([, name]) => name!).filter((name) => !metrics.has(name) && !metrics.has(name.replace(HISTOGRAM_SERIES, "")));
}

function balanced(expr: string): boolean {
  let depth = 0;
  for (const char of expr.replace(/"[^"]*"/g, "")) {
    if ("({[".includes(char)) depth += 1;
    if (")}]".includes(char)) depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe("observability assets", () => {
  it("finds the fleet's metrics to check against", () => {
    expect([...metrics]).toEqual(expect.arrayContaining(["dealgraph_queue_jobs", "dealgraph_llm_cost_usd_total", "dealgraph_reconcile_drift", "dealgraph_api_requests_total"]));
  });

  it("has alert rules that parse, name exported metrics and say what to do", () => {
    const rules = parse(readFileSync(path.join(root, "infra/prometheus/dealgraph-alerts.yml"), "utf8")) as {
      groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; labels: { severity: string }; annotations: { summary: string } }> }>;
    };
    const all = rules.groups.flatMap((group) => group.rules);
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(new Set(all.map((rule) => rule.alert)).size).toBe(all.length);
    for (const rule of all) {
      expect({ alert: rule.alert, unknown: unknownMetrics(rule.expr), balanced: balanced(rule.expr) }).toEqual({ alert: rule.alert, unknown: [], balanced: true });
      expect(["warning", "critical"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
    // What the issue asks operators to be warned of.
    const watched = all.map((rule) => rule.expr).join("\n");
    for (const metric of ["dealgraph_queue_jobs", "dealgraph_queue_oldest_waiting_seconds", "dealgraph_projection_retries_total", "dealgraph_reconcile_drift", "dealgraph_llm_calls_total", "dealgraph_llm_cost_usd_total"]) {
      expect(watched).toContain(metric);
    }
  });

  it("has a Grafana dashboard whose panels query exported metrics through a chosen data source", () => {
    const dashboard = JSON.parse(readFileSync(path.join(root, "infra/grafana/dealgraph-dashboard.json"), "utf8")) as {
      uid: string;
      templating: { list: Array<{ name: string; type: string }> };
      panels: Array<{ id: number; title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
    };
    expect(dashboard.uid).toBe("dealgraph-fleet");
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: "datasource", type: "datasource" }));
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe("${datasource}");
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets) expect({ panel: panel.title, unknown: unknownMetrics(expr), balanced: balanced(expr) }).toEqual({ panel: panel.title, unknown: [], balanced: true });
    }
  });

  it("catches an expression over a metric nobody exports", () => {
    expect(unknownMetrics('rate(dealgraph_jobs_total[5m]) + dealgraph_made_up_total')).toEqual(["dealgraph_made_up_total"]);
    expect(unknownMetrics("histogram_quantile(0.9, rate(dealgraph_llm_call_seconds_bucket[5m]))")).toEqual([]);
    expect(balanced("sum(rate(x[5m])")).toBe(false);
  });
});
