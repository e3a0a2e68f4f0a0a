import { REVISION_PROPERTY, newRevision, type GraphClient } from "@dealgraph/graph";
import type { ProjectionKind } from "@dealgraph/pipeline-kit";
import { withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import type { Restamp } from "./sorted-diff";

/**
 * Brings revision stamps up to date where the content already agrees (rows projected before
 * revisions existed, a row edited and edited back): a node without a revision gets one, and the
 * row takes the node's. Each row is stamped only if it still holds the revision it was read
 * with, so a projection that landed meanwhile is never overwritten. Not a repair: nothing a
 * reader sees changes. Answers how many rows were stamped.
 */
export async function restampRevisions(
  graph: GraphClient,
  db: Kysely<Database>,
  kind: ProjectionKind,
  tenantId: string,
  restamps: readonly Restamp[],
): Promise<number> {
  if (restamps.length === 0 || kind.revisionColumn === undefined) return 0;
  const unstamped = restamps.filter((r) => r.graph === null).map((r) => r.id);
  const fresh = new Map<string, number>();
  if (unstamped.length > 0) {
    // Label and property names are constants of the kind's pipeline; ids travel as a parameter.
    const records = await graph.write(
      async (tx) =>
        (
          await tx.run(
            `UNWIND $ids AS id
             MATCH (n:${kind.label} {tenant_id: $tenantId, ${kind.idProperty}: id})
             WHERE n.${REVISION_PROPERTY} IS NULL
             SET ${newRevision("n")}
             RETURN id, n.${REVISION_PROPERTY} AS revision`,
            { tenantId, ids: unstamped },
          )
        ).records,
    );
    for (const record of records) fresh.set(String(record.get("id")), Number(record.get("revision")));
  }
  const stamps = restamps
    .map((r) => ({ id: r.id, from: r.postgres, to: r.graph ?? fresh.get(r.id) ?? null }))
    .filter((s): s is { id: string; from: number | null; to: number } => s.to !== null);
  if (stamps.length === 0) return 0;
  const revision = sql.ref(kind.revisionColumn);
  return withTenant(db, tenantId, async (trx) => {
    const result = await sql`
      UPDATE ${sql.table(kind.table)} AS t SET ${revision} = s."to"
      FROM jsonb_to_recordset(${JSON.stringify(stamps)}::jsonb) AS s(id text, "from" bigint, "to" bigint)
      WHERE t.tenant_id = ${tenantId} AND t.${sql.ref(kind.idColumn)}::text = s.id AND t.${revision} IS NOT DISTINCT FROM s."from"`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}
