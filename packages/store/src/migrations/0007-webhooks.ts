import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";
import { isolateTenants } from "./tenant-isolation";

/**
 * Webhooks: the endpoints a tenant registers and every delivery made to them. Both are tenant
 * data under the same row-level security as the rest: a delivery is made only to the endpoints
 * its tenant's transaction can see.
 */
export function webhooks(context: MigrationContext): Migration {
  return {
    async up(db) {
      const app = sql.id(context.appRole);
      await sql`
        create table webhook_endpoints (
          tenant_id uuid not null,
          endpoint_id uuid not null,
          url text not null,
          events text[] not null,
          description text,
          -- The signing secret (whsec_…): the api shows it once, the dispatcher signs with it.
          secret text not null,
          created_at timestamptz not null default now(),
          deleted_at timestamptz,
          primary key (tenant_id, endpoint_id)
        )`.execute(db);
      await sql`
        create table webhook_deliveries (
          tenant_id uuid not null,
          -- Derived from endpoint, event, pipeline and interaction: one delivery per event and
          -- endpoint however often the event is published. Receivers see it as webhook-id.
          delivery_id uuid not null,
          endpoint_id uuid not null,
          event_type text not null,
          interaction_id uuid,
          pipeline text,
          -- The exact body that is signed and sent.
          payload text not null,
          status text not null default 'pending' check (status in ('pending', 'delivered', 'dead', 'cancelled')),
          attempts integer not null default 0,
          last_status_code integer,
          last_error text,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          delivered_at timestamptz,
          primary key (tenant_id, delivery_id),
          foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, endpoint_id) on delete cascade
        )`.execute(db);
      await sql`create index webhook_deliveries_recent on webhook_deliveries (tenant_id, created_at desc)`.execute(db);
      for (const table of ["webhook_endpoints", "webhook_deliveries"]) {
        await isolateTenants(db, table);
        await sql`grant select, insert, update on ${sql.id(table)} to ${app}`.execute(db);
      }
    },
    async down(db) {
      await sql`drop table if exists webhook_deliveries`.execute(db);
      await sql`drop table if exists webhook_endpoints`.execute(db);
    },
  };
}
