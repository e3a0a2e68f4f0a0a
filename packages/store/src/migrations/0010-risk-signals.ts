import { sql, type Migration } from "kysely";
import type { MigrationContext } from "./migration-context";
import { isolateTenants } from "./tenant-isolation";

/*
 * Risk signals (@dealgraph/risk-signals), projected from the deal graph's RiskSignal nodes and
 * their versions. Tables of this system's own, beside the CRM's opportunities rather than in
 * them: a signal is about an opportunity (`opportunity_id` is the graph's id, as in
 * deal_versions), and the CRM's columns stay the CRM's.
 */

/** The columns the reconciler compares (deal-pipeline's projection kinds); an edit to them without a new revision forgets the row's revision (0008). */
export const RISK_SIGNAL_COMPARED = ["opportunity_id", "code", "status", "severity", "started_at", "cleared_at", "evidence_quote", "version_number"] as const;
export const RISK_SIGNAL_VERSION_COMPARED = ["signal_id", "version_number", "status", "severity"] as const;

export function riskSignals(context: MigrationContext): Migration {
  return {
    async up(db) {
      const app = sql.id(context.appRole);
      const signalColumns = sql`
          opportunity_id text not null,
          account_id text not null,
          code text not null,
          status text not null check (status in ('active', 'cleared')),
          severity text not null check (severity in ('low', 'medium', 'high')),
          started_at timestamptz not null,
          cleared_at timestamptz,
          evidence_interaction_id text,
          evidence_quote text,
          detail text not null,
          version_number integer not null,
          valid_from timestamptz not null,
          graph_revision bigint`;
      await sql`
        create table risk_signals (
          tenant_id uuid not null,
          signal_id text not null,
          ${signalColumns},
          updated_at timestamptz not null default now(),
          primary key (tenant_id, signal_id)
        )`.execute(db);
      await sql`create index risk_signals_active on risk_signals (tenant_id, account_id) where status = 'active'`.execute(db);
      await sql`create index risk_signals_opportunity on risk_signals (tenant_id, opportunity_id)`.execute(db);
      await sql`
        create table risk_signal_versions (
          tenant_id uuid not null,
          version_id text not null,
          signal_id text not null,
          ${signalColumns},
          valid_until timestamptz not null,
          primary key (tenant_id, version_id)
        )`.execute(db);
      await sql`create index risk_signal_versions_signal on risk_signal_versions (tenant_id, signal_id, version_number)`.execute(db);
      for (const [table, compared] of [
        ["risk_signals", RISK_SIGNAL_COMPARED],
        ["risk_signal_versions", RISK_SIGNAL_VERSION_COMPARED],
      ] as const) {
        await isolateTenants(db, table);
        await sql`grant select, insert, update, delete on ${sql.id(table)} to ${app}`.execute(db);
        const columns = (side: "new" | "old") => sql.join(compared.map((column) => sql`${sql.raw(side)}.${sql.id(column)}`));
        await sql`
          create trigger ${sql.id(`${table}_graph_revision_forgotten`)} before update on ${sql.id(table)}
          for each row when (new.graph_revision is not distinct from old.graph_revision and (${columns("new")}) is distinct from (${columns("old")}))
          execute function dealgraph_forget_graph_revision('graph_revision')`.execute(db);
      }
    },
    async down(db) {
      await sql`drop table if exists risk_signal_versions`.execute(db);
      await sql`drop table if exists risk_signals`.execute(db);
    },
  };
}
