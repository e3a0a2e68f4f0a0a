import { DealgraphApiError } from "@dealgraph/client";
import { DealgraphError, EnvelopeConflictError, ValidationError } from "@dealgraph/errors";
import type { Accepted, EnvelopeStatus } from "@dealgraph/contracts";
import { FINAL_STATES } from "@dealgraph/queues";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { envelopeSources, type EnvelopeSource } from "../envelope-sources";
import { formatEnvelopeOutcome, formatTotals, totalsOf, type EnvelopeOutcome } from "../envelope-report";
import { apiGateway, directGateway, type FleetGateway } from "../fleet-gateway";
import { Progress } from "../progress";

interface EnqueueOptions {
  corpus?: string | true;
  direct?: boolean;
  key?: string[];
  wait?: boolean;
  timeout: string;
  json?: boolean;
}

/** Envelopes in flight at once: enough to keep the api busy, few enough to keep order obvious. */
const SEND_CONCURRENCY = 4;
const POLL_MS = 500;

function refusalOf(error: unknown): EnvelopeOutcome["error"] {
  if (error instanceof DealgraphApiError) return { code: error.code, message: error.message, issues: error.issues };
  if (error instanceof ValidationError || error instanceof EnvelopeConflictError) return { code: error.code, message: error.message, issues: error.issues };
  if (error instanceof DealgraphError) return { code: error.code, message: error.message, issues: [] };
  throw error;
}

async function send(gateway: FleetGateway, sources: EnvelopeSource[], progress: Progress): Promise<EnvelopeOutcome[]> {
  const outcomes: EnvelopeOutcome[] = sources.map((source) => ({
    file: source.file,
    tenant_id: source.envelope?.tenant_id ?? null,
    interaction_id: source.envelope?.interaction_id ?? null,
    accepted: null,
    status: null,
    error: source.error ? { code: source.error.code, message: source.error.message, issues: source.error.issues } : null,
  }));
  let next = 0;
  let sent = 0;
  const lane = async () => {
    for (let i = next++; i < sources.length; i = next++) {
      const envelope = sources[i]?.envelope;
      const outcome = outcomes[i] as EnvelopeOutcome;
      if (envelope) {
        try {
          outcome.accepted = await gateway.accept(envelope);
          outcome.interaction_id = outcome.accepted.interaction_id;
        } catch (error) {
          outcome.error = refusalOf(error);
        }
      }
      progress.update(++sent);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, sources.length) }, lane));
  progress.finish();
  return outcomes;
}

const isFinal = (status: EnvelopeStatus | null) => status !== null && Object.values(status.pipelines).every((p) => FINAL_STATES.has(p.state));

/** Polls every accepted envelope until both pipelines are finished with it, or the time is up. */
async function waitForAll(gateway: FleetGateway, outcomes: EnvelopeOutcome[], timeoutMs: number, progress: Progress): Promise<boolean> {
  const pending = outcomes.filter((o): o is EnvelopeOutcome & { accepted: Accepted; tenant_id: string } => o.accepted !== null && o.tenant_id !== null);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await Promise.all(pending.filter((o) => !isFinal(o.status)).map(async (o) => (o.status = await gateway.status(o.tenant_id, o.accepted.interaction_id))));
    const finished = pending.filter((o) => isFinal(o.status)).length;
    progress.update(finished, "processed by both pipelines");
    if (finished === pending.length) {
      progress.finish();
      return true;
    }
    if (Date.now() > deadline) {
      progress.finish(`gave up waiting after ${Math.round(timeoutMs / 1000)} s`);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function registerEnqueue(program: Command, context: CliContext): void {
  program
    .command("enqueue")
    .description("Send EnvelopeV1 files (or a corpus) to the fleet through the api, or straight onto the queues with --direct")
    .argument("[files...]", "EnvelopeV1 JSON files")
    .option("--corpus [dir]", "send a corpus directory (manifest.json) in timestamp order instead of files")
    .option("--direct", "store in the inbox and enqueue directly (needs the database and Redis, not an API key)")
    .option("--key <key...>", "tenant API keys to post with (default: DEALGRAPH_API_KEY, comma-separated)")
    .option("--wait", "wait until both pipelines have finished each envelope, then report on each")
    .option("--timeout <seconds>", "how long --wait waits", "600")
    .option("--json", "print JSON")
    .action(async (files: string[], options: EnqueueOptions) => {
      const config = context.config();
      const timeoutSeconds = Number(options.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        throw new ValidationError(`--timeout must be a positive number of seconds, got "${options.timeout}"`, [
          { path: "timeout", message: "Must be a positive number" },
        ]);
      }
      const sources = await envelopeSources(files, options.corpus);
      const gateway = options.direct ? directGateway(config) : await apiGateway(config, options.key ?? config.cli.apiKeys);
      const started = performance.now();
      try {
        const outcomes = await send(gateway, sources, new Progress(`enqueue (${gateway.via})`, sources.length));
        const finished = options.wait
          ? await waitForAll(gateway, outcomes, timeoutSeconds * 1000, new Progress("waiting", outcomes.filter((o) => o.accepted).length))
          : true;
        const totals = totalsOf(outcomes, performance.now() - started);
        if (options.json) console.log(JSON.stringify({ envelopes: outcomes, totals }, null, 2));
        else {
          for (const outcome of outcomes) console.log(formatEnvelopeOutcome(outcome));
          console.log(formatTotals(totals, options.wait === true));
        }
        if (totals.refused > 0 || (options.wait && (!finished || totals.failed > 0))) process.exitCode = 1;
      } finally {
        await gateway.close();
      }
    });
}
