import type { GraphClient } from "@dealgraph/graph";
import neo4j from "neo4j-driver";
import type { GraphName } from "@dealgraph/config";
import type { OrphanCheck } from "@dealgraph/pipeline-kit";

export interface OrphanReport {
  name: string;
  count: number;
  ids: string[];
}

/** Graph-side damage the projection cannot mend, per the pipelines' checks: reported (ids capped, counts exact), never "repaired". */
export async function findOrphans(
  graphs: Record<GraphName, GraphClient>,
  checks: readonly OrphanCheck[],
  tenantId: string,
  keep = 1000,
): Promise<OrphanReport[]> {
  const reports: OrphanReport[] = [];
  for (const check of checks) {
    reports.push(
      await graphs[check.graph].read(async (tx) => {
        const result = await tx.run(
          `${check.match}
           WITH n.${check.idProperty} AS id ORDER BY id
           RETURN count(id) AS count, collect(id)[0..$keep] AS ids`,
          { tenantId, keep: neo4j.int(keep) },
        );
        const row = result.records[0];
        return { name: check.name, count: Number(row?.get("count") ?? 0), ids: ((row?.get("ids") as string[] | undefined) ?? []).map(String) };
      }),
    );
  }
  return reports;
}
