import { sql, type RawBuilder } from "kysely";

/**
 * The channel the CRM front end LISTENs on to refresh what a projection wrote. Each message is
 * JSON `{ tenant_id, kind, ids }`: `kind` names the record (`interaction`, `opportunity`,
 * `action_item`, `topic`, ...) and `ids` its graph ids (`graph_opportunity_id` for
 * opportunities). Sent inside the projection's transaction, so a listener hears of rows only
 * once they are committed, and never of a rolled-back write.
 */
export const PROJECTION_CHANNEL = "dealgraph_projection";

/** A notification's payload stays far below Postgres's 8000-byte limit: 100 uuids take about 3.9 kB. */
const IDS_PER_NOTIFICATION = 100;

export interface ProjectionNotice {
  tenant_id: string;
  kind: string;
  ids: string[];
}

/** One notice per kind (several for a kind with many ids), in the order given. */
export function projectionNotices(tenantId: string, idsByKind: Record<string, readonly string[]>): ProjectionNotice[] {
  return Object.entries(idsByKind).flatMap(([kind, all]) => {
    const ids = [...new Set(all)];
    const notices: ProjectionNotice[] = [];
    for (let start = 0; start < ids.length; start += IDS_PER_NOTIFICATION) {
      notices.push({ tenant_id: tenantId, kind, ids: ids.slice(start, start + IDS_PER_NOTIFICATION) });
    }
    return notices;
  });
}

/**
 * The notices as an expression of a statement (how many were queued): Postgres queues them on the
 * statement's transaction and delivers them at commit. upsertTogether sends them with the rows.
 */
export function projectionNotify(tenantId: string, idsByKind: Record<string, readonly string[]>): RawBuilder<number> {
  const payloads = projectionNotices(tenantId, idsByKind).map((notice) => JSON.stringify(notice));
  return sql<number>`(select count(*) from (select pg_notify(${PROJECTION_CHANNEL}, payload) from unnest(${payloads}::text[]) as payload) notified)::int`;
}
