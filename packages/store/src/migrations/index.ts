import type { Migration, MigrationProvider } from "kysely";
import { projectionSchema } from "./0001-projection-schema";
import { inboxAndApiKeys } from "./0002-inbox-and-api-keys";
import { reconciliation } from "./0003-reconciliation";
import { inboxContentHash } from "./0004-inbox-content-hash";
import { apiKeyLifecycle } from "./0005-api-key-lifecycle";
import { inboxPipelineRuns } from "./0006-inbox-pipeline-runs";
import { webhooks } from "./0007-webhooks";
import { graphRevisions } from "./0008-graph-revisions";
import { inboxForWork } from "./0009-inbox-for-work";
import { riskSignals } from "./0010-risk-signals";
import type { MigrationContext } from "./migration-context";

import { PROJECTION_TABLES } from "./0001-projection-schema";

/** Every table that holds tenant data; each has row-level security keyed on app.tenant_id. */
export const TENANT_TABLES = [
  ...PROJECTION_TABLES,
  "inbox",
  "inbox_pipeline_runs",
  "reconcile_runs",
  "backfill_checkpoints",
  "webhook_endpoints",
  "webhook_deliveries",
  "risk_signals",
  "risk_signal_versions",
] as const;
export type { MigrationContext } from "./migration-context";

/** All migrations in order. Names sort in the order they must run. */
export function migrationProvider(context: MigrationContext): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        "0001-projection-schema": projectionSchema(context),
        "0002-inbox-and-api-keys": inboxAndApiKeys(context),
        "0003-reconciliation": reconciliation(context),
        "0004-inbox-content-hash": inboxContentHash(),
        "0005-api-key-lifecycle": apiKeyLifecycle(context),
        "0006-inbox-pipeline-runs": inboxPipelineRuns(context),
        "0007-webhooks": webhooks(context),
        "0008-graph-revisions": graphRevisions(context),
        "0009-inbox-for-work": inboxForWork(context),
        "0010-risk-signals": riskSignals(context),
      };
    },
  };
}
