export { connectDatabase, createDatabase, roleFromUrl, type CreateDatabaseOptions } from "./database";
export { detectEmbeddingStorage, embeddingColumnType, embeddingStorageOf, encodeEmbedding, type EmbeddingStorage } from "./embedding-column";
export { pingDatabase } from "./health";
export { migrateTo, migrateToLatest, pendingMigrations, type MigrateOptions, type MigrateReport, type ModuleMigrations } from "./migrate";
export { TENANT_TABLES, type MigrationContext } from "./migrations";
export { isolateTenants } from "./migrations/tenant-isolation";
export {
  CRM_OWNED_COLUMNS,
  FORECAST_OWNED_COLUMNS,
  INSERT_ONLY_COLUMNS,
  PROTECTED_OPPORTUNITY_COLUMNS,
  SYSTEM_WRITTEN_COLUMNS,
} from "./ontology";
export type * from "./schema";
export { withTenant } from "./tenant-transaction";
export { takeIncoming, upsertRows, type UpsertRule } from "./upsert";
export { canonicalInstant, envelopeContentHash, envelopeDifferences } from "./envelope-hash";
export { InboxRepository, inboxStatus, type InboxAcceptance, type InboxEntry, type InboxReceipt, type InboxRow, type InboxRun } from "./inbox-repository";
export { ApiKeys, hashApiKey } from "./api-keys";
export { ApiKeyAdmin, type ApiKeyRecord } from "./api-key-admin";
export { isDatabaseUnavailable } from "./database-unavailable";
