import type { GraphName } from "@dealgraph/config";
import { closeGraphs, connectGraphs, type GraphClient } from "@dealgraph/graph";
import { knownTenants } from "@dealgraph/reconciliation";
import { createDatabase } from "@dealgraph/store";
import { requireUuid } from "./arguments";
import type { CliContext } from "./cli-context";

export type Services = { graphs: Record<GraphName, GraphClient>; db: ReturnType<typeof createDatabase> };

/** Both graphs and Postgres for one command, closed when it is done. */
export async function withServices<T>(context: CliContext, work: (deps: Services) => Promise<T>): Promise<T> {
  const config = context.config();
  const graphs = connectGraphs(config);
  const db = createDatabase({ url: config.postgres.url, poolMax: 4, applicationName: "dealgraph-cli" });
  try {
    return await work({ graphs, db });
  } finally {
    await Promise.allSettled([closeGraphs(graphs), db.destroy()]);
  }
}

/** The services and the tenants a command covers: the one `--tenant` names, else every tenant with data in the graphs or the projection. */
export async function withTenants<T>(
  context: CliContext,
  tenant: string | undefined,
  work: (deps: Services & { tenants: string[] }) => Promise<T>,
): Promise<T> {
  const only = tenant === undefined ? undefined : requireUuid(tenant, "--tenant", "tenant");
  return withServices(context, async (deps) => work({ ...deps, tenants: only ? [only] : await knownTenants(deps.graphs, deps.db) }));
}
