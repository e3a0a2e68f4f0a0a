import { plainProperties, type GraphTransaction } from "@dealgraph/graph";

/** A RiskSignal node and its versions, as the Postgres projection needs them. */
export interface ProjectedSignal {
  properties: Record<string, unknown>;
  versions: Array<Record<string, unknown>>;
}

const READ_FOR_PROJECTION = `
UNWIND $ids AS id
MATCH (s:RiskSignal {tenant_id: $tenantId, signal_id: id})
RETURN s {.*} AS properties,
       COLLECT { MATCH (s)-[:HAS_VERSION]->(v:RiskSignalVersion) RETURN v {.*} AS version ORDER BY v.version_number } AS versions`;

export async function readSignalsForProjection(tx: GraphTransaction, tenantId: string, ids: readonly string[]): Promise<ProjectedSignal[]> {
  if (ids.length === 0) return [];
  const result = await tx.run(READ_FOR_PROJECTION, { tenantId, ids: [...ids] });
  return result.records.map((r) => ({
    properties: plainProperties(r.get("properties") as Record<string, unknown>),
    versions: (r.get("versions") as Array<Record<string, unknown>>).map(plainProperties),
  }));
}
