import { sql, type Kysely } from "kysely";

/**
 * Row-level security on a tenant table: a connection sees and writes only the rows of the tenant
 * its transaction set (`dealgraph_current_tenant()`). FORCE binds the owner too, so no connection
 * sees across tenants by accident; the one cross-tenant read (the sweeper) has its own policy.
 */
export async function isolateTenants(db: Kysely<unknown>, table: string): Promise<void> {
  const t = sql.id(table);
  await sql`alter table ${t} enable row level security`.execute(db);
  await sql`alter table ${t} force row level security`.execute(db);
  await sql`
    create policy tenant_isolation on ${t}
    using (tenant_id = dealgraph_current_tenant())
    with check (tenant_id = dealgraph_current_tenant())`.execute(db);
}

/**
 * The sweeper's list of envelopes still queued, as migration 0002 defined it over the inbox's
 * per-pipeline status columns (0006 moved those to rows and restores this on the way down).
 */
export async function createColumnInboxUnfinished(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function dealgraph_inbox_unfinished(older_than interval, max_rows integer)
    returns table (tenant_id uuid, interaction_id uuid, action_items_status text, deals_status text)
    language sql stable security definer set search_path = public
    as $$
      select i.tenant_id, i.interaction_id, i.action_items_status, i.deals_status
      from inbox i
      where (i.action_items_status = 'queued' or i.deals_status = 'queued')
        and i.received_at < now() - older_than
      order by i.received_at
      limit max_rows
    $$`.execute(db);
}
