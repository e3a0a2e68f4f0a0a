import { NotFoundError } from "@dealgraph/errors";
import { pipelines } from "@dealgraph/pipelines";
import { DeadLetters, bullConnection, closeBullConnection } from "@dealgraph/queues";
import { InboxRepository, createDatabase } from "@dealgraph/store";
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context";
import { CommandRefused } from "../command-refused";

const pipelineOption = () => new Option("--pipeline <name>", pipelines.names.join(" or ")).choices([...pipelines.names]);

async function withDeadLetters<T>(context: CliContext, work: (letters: DeadLetters) => Promise<T>): Promise<T> {
  const config = context.config();
  const connection = bullConnection(config.redis, "dealgraph-cli");
  const letters = new DeadLetters(connection, config, pipelines.names);
  try {
    return await work(letters);
  } finally {
    await letters.close();
    await closeBullConnection(connection);
  }
}

export function registerDlq(program: Command, context: CliContext): void {
  const dlq = program.command("dlq").description("Dead letters: jobs that used up their attempts or failed for good");
  dlq
    .command("list")
    .description("List the dead letters of every pipeline (or one): job id, attempts, when and why it failed")
    .addOption(pipelineOption())
    .option("--json", "print JSON")
    .action(async (options: { pipeline?: string; json?: boolean }) => {
      const letters = await withDeadLetters(context, (d) => d.list(options.pipeline ? [options.pipeline] : pipelines.names));
      if (options.json) return console.log(JSON.stringify(letters, null, 2));
      if (letters.length === 0) return console.log("no dead letters");
      for (const l of letters)
        console.log(`${l.pipeline.padEnd(13)} ${l.job_id}  ${l.attempts} attempt(s)  ${l.failed_at}  ${l.code ?? ""} ${l.error.slice(0, 100)}`);
    });
  dlq
    .command("show")
    .description("Print one dead letter in full: its envelope reference, error, stack and attempts")
    .argument("<id>", "the letter's id (tenant.interaction)")
    .addOption(pipelineOption().makeOptionMandatory())
    .action(async (id: string, options: { pipeline: string }) => {
      const letter = await withDeadLetters(context, (d) => d.show(options.pipeline, id));
      if (!letter) throw new NotFoundError(`no dead letter ${id} in ${options.pipeline}`);
      console.log(JSON.stringify(letter, null, 2));
    });
  dlq
    .command("replay")
    .description("Put a dead-lettered envelope back on its pipeline's queue with fresh attempts")
    .argument("<id>", "the letter's id (tenant.interaction)")
    .addOption(pipelineOption().makeOptionMandatory())
    .action(async (id: string, options: { pipeline: string }) => {
      const config = context.config();
      const db = createDatabase({ url: config.postgres.url, poolMax: 1, applicationName: "dealgraph-cli" });
      try {
        const letter = await withDeadLetters(context, async (d) => {
          const found = await d.show(options.pipeline, id);
          if (!found) return null;
          // The worker skips what the inbox calls finished, so the entry is queued again first.
          await new InboxRepository(db).setStatus(found.payload.tenant_id, found.payload.interaction_id, options.pipeline, "queued");
          return d.replay(options.pipeline, id);
        });
        if (!letter) throw new NotFoundError(`no dead letter ${id} in ${options.pipeline}`);
        console.log(`replayed ${id} on ${options.pipeline}`);
      } finally {
        await db.destroy();
      }
    });
  dlq
    .command("purge")
    .description("Delete every dead letter of a pipeline")
    .addOption(pipelineOption().makeOptionMandatory())
    .option("--yes", "confirm: without it nothing is deleted and the command exits 2")
    .action(async (options: { pipeline: string; yes?: boolean }) => {
      if (!options.yes) throw new CommandRefused("purge deletes the letters for good; add --yes to confirm");
      const count = await withDeadLetters(context, (d) => d.purge(options.pipeline));
      console.log(`purged ${count} dead letter(s) from ${options.pipeline}`);
    });
}
