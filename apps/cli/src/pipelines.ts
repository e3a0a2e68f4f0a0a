import { openActionItemPipeline, type ActionItemPipeline } from "@dealgraph/action-item-pipeline";
import type { Config } from "@dealgraph/config";
import { openDealPipeline, type DealPipeline } from "@dealgraph/deal-pipeline";
import { createLlmProvider } from "@dealgraph/llm";
import type { Logger } from "@dealgraph/logging";
import { ConfigError } from "@dealgraph/errors";
import { pipelines } from "@dealgraph/pipelines";
import { connectDatabase, pendingMigrations } from "@dealgraph/store";

export interface InProcessPipelines {
  actionItems: ActionItemPipeline;
  deals: DealPipeline;
  close(): Promise<void>;
}

/** Both pipelines in this process, sharing one Postgres pool and one model client. */
export async function openPipelines(config: Config, logger: Logger): Promise<InProcessPipelines> {
  const pending = await pendingMigrations({
    ownerUrl: config.postgres.ownerUrl,
    appUrl: config.postgres.url,
    embeddingDimension: config.embeddings.dimension,
    modules: pipelines.moduleMigrations(),
  });
  if (pending.length > 0) {
    throw new ConfigError([
      {
        path: "DATABASE_URL",
        message: `the database has ${pending.length} migration(s) to apply (${pending.join(", ")}): run \`pnpm dealgraph migrate\` first`,
      },
    ]);
  }
  const db = connectDatabase(config, "dealgraph-cli", logger);
  const llm = createLlmProvider(config);
  const opened = await Promise.allSettled([openActionItemPipeline(config, { db, logger, llm }), openDealPipeline(config, { db, logger, llm })]);
  const close = async () => {
    await Promise.allSettled([...opened.map((o) => (o.status === "fulfilled" ? o.value.close() : undefined)), db.destroy()]);
  };
  const [actionItems, deals] = opened;
  if (actionItems.status === "rejected" || deals.status === "rejected") {
    await close();
    throw actionItems.status === "rejected" ? actionItems.reason : (deals as PromiseRejectedResult).reason;
  }
  return { actionItems: actionItems.value.pipeline, deals: deals.value.pipeline, close };
}
