import { pipelines } from "@dealgraph/pipelines";
import { GRAPH_NAMES, type GraphName } from "@dealgraph/config";
import {
  closeGraphs,
  connectGraphs,
  graphTenants,
  planReindex,
  rebuildVectorIndexes,
  reembedNodes,
  type GraphClient,
  type ReindexPlan,
} from "@dealgraph/graph";
import { createLlmProvider } from "@dealgraph/llm";
import { Backfill } from "@dealgraph/reconciliation";
import { createDatabase } from "@dealgraph/store";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { Progress } from "../progress";

/*
 * `dealgraph reindex`: after a change of embedding model or EMBEDDING_DIMENSION, rebuild the
 * graphs' vector indexes at the configured size, re-embed every deal, action item and topic with
 * the configured provider, and re-project them so Postgres holds the same vectors. Without
 * --yes it only reports what it would do (and exits 1 when there is something to do).
 */

async function tenantsOf(graphs: Record<GraphName, GraphClient>): Promise<string[]> {
  return [...new Set((await Promise.all(GRAPH_NAMES.map((name) => graphTenants(graphs[name])))).flat())].sort();
}

export function registerReindex(program: Command, context: CliContext): void {
  program
    .command("reindex")
    .description("Rebuild the vector indexes at EMBEDDING_DIMENSION and re-embed every node with the configured model (needed after changing either)")
    .option("--yes", "do it (without: report what would change)")
    .option("--json", "print JSON")
    .action(async (options: { yes?: boolean; json?: boolean }) => {
      const config = context.config();
      const dimension = config.embeddings.dimension;
      const graphs = connectGraphs(config);
      const db = createDatabase({ url: config.postgres.url, poolMax: 4, applicationName: "dealgraph-cli" });
      try {
        const plans = Object.fromEntries(
          await Promise.all(GRAPH_NAMES.map(async (name) => [name, await planReindex(graphs[name], name, dimension)] as const)),
        ) as Record<GraphName, ReindexPlan>;
        const pending = Object.values(plans).some((p) => p.mismatched.length > 0);
        if (!options.yes) {
          if (options.json) console.log(JSON.stringify({ dimension, plans, pending }, null, 2));
          else {
            for (const [name, plan] of Object.entries(plans)) {
              const indexes = plan.mismatched.map((i) => `${i.name} (${i.dimensions})`).join(", ") || "none";
              console.log(
                `${name} graph: vector indexes of another size than ${dimension}: ${indexes}; nodes to re-embed: ${Object.entries(plan.nodes)
                  .map(([l, n]) => `${n} ${l}`)
                  .join(", ")}`,
              );
            }
            console.log(pending ? "run again with --yes to rebuild and re-embed" : "every vector index already has the configured size");
          }
          if (pending) process.exitCode = 1;
          return;
        }
        const llm = createLlmProvider(config);
        const embed = async (texts: string[]) => (await llm.embed(texts)).vectors;
        const written: Record<string, Record<string, number>> = {};
        for (const name of GRAPH_NAMES) {
          await rebuildVectorIndexes(graphs[name], name, dimension, plans[name]);
          const total = Object.values(plans[name].nodes).reduce((a, b) => a + b, 0);
          const progress = new Progress(`re-embed ${name} graph`, total, !options.json);
          const byLabel = new Map<string, number>();
          written[name] = await reembedNodes(graphs[name], name, embed, (label, done) => {
            byLabel.set(label, done);
            progress.update([...byLabel.values()].reduce((a, b) => a + b, 0));
          });
          progress.finish();
        }
        // The projection carries the vectors too: write them again from the graphs, for every
        // tenant with graph data (a tenant only in Postgres has no vectors to rewrite).
        const backfill = new Backfill({ graphs, db, catalog: pipelines });
        const tenants = await tenantsOf(graphs);
        for (const tenantId of tenants) await backfill.run(tenantId, {});
        if (options.json) console.log(JSON.stringify({ dimension, written, tenantsReprojected: tenants.length }, null, 2));
        else {
          for (const [name, counts] of Object.entries(written))
            console.log(
              `${name} graph: re-embedded ${Object.entries(counts)
                .map(([l, n]) => `${n} ${l}`)
                .join(", ")}`,
            );
          console.log(`re-projected ${tenants.length} tenant(s); vector indexes at ${dimension} dimensions`);
        }
      } finally {
        await Promise.allSettled([closeGraphs(graphs), db.destroy()]);
      }
    });
}
