import { readFile } from "node:fs/promises";
import path from "node:path";
import { mintInteractionId, parseEnvelope, type AcceptedEnvelope } from "@dealgraph/contracts";
import { loadCorpus } from "@dealgraph/corpus";
import type { DealPipelineResult } from "@dealgraph/deal-pipeline";
import { DealgraphError, ValidationError } from "@dealgraph/errors";
import { createLogger } from "@dealgraph/logging";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { openPipelines } from "../pipelines";

export interface ProcessReport {
  file: string;
  interactionId: string | null;
  /** Set when the envelope could not be processed at all. */
  error: { code: string; message: string; retryable: boolean } | null;
  deals: DealPipelineResult | null;
}

interface Source {
  file: string;
  envelope: AcceptedEnvelope | null;
  error: ValidationError | null;
}

async function readEnvelopeFile(file: string): Promise<Source> {
  try {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new ValidationError(`${file} is not JSON: ${error.message}`, [{ path: "", message: "Must be an EnvelopeV1 JSON document" }]);
      }
      throw error;
    }
    const envelope = parseEnvelope(json);
    return { file, envelope: { ...envelope, interaction_id: envelope.interaction_id ?? mintInteractionId() }, error: null };
  } catch (error) {
    if (error instanceof ValidationError) return { file, envelope: null, error };
    throw error;
  }
}

/** The corpus's envelopes in timestamp order, the order a producer would have sent them. */
async function corpusSources(dir: string): Promise<Source[]> {
  const corpus = await loadCorpus(path.resolve(dir));
  return corpus.entries
    .map((entry) => ({ entry, at: Date.parse(entry.envelope.timestamp) }))
    .sort((a, b) => a.at - b.at)
    .map(({ entry }) => ({
      file: entry.name,
      envelope: { ...entry.envelope, interaction_id: entry.envelope.interaction_id ?? mintInteractionId() },
      error: null,
    }));
}

function failure(error: unknown): ProcessReport["error"] {
  if (error instanceof DealgraphError) return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: "UNEXPECTED", message: error instanceof Error ? error.message : String(error), retryable: true };
}

export async function runProcess(context: CliContext, sources: Source[], onReport: (report: ProcessReport) => void): Promise<ProcessReport[]> {
  const config = context.config();
  // Logs go to stderr so that stdout carries only the reports (and stays valid JSON with --json).
  const logger = createLogger({ name: "cli", level: process.env.LOG_LEVEL ?? "warn", destination: process.stderr });
  const pipelines = await openPipelines(config, logger);
  const reports: ProcessReport[] = [];
  try {
    for (const source of sources) {
      let report: ProcessReport;
      if (!source.envelope) {
        report = { file: source.file, interactionId: null, error: failure(source.error), deals: null };
      } else {
        try {
          const deals = await pipelines.deals.process(source.envelope);
          report = { file: source.file, interactionId: source.envelope.interaction_id, error: null, deals };
        } catch (error) {
          report = { file: source.file, interactionId: source.envelope.interaction_id, error: failure(error), deals: null };
        }
      }
      reports.push(report);
      onReport(report);
    }
  } finally {
    await pipelines.close();
  }
  return reports;
}

export function formatProcess(report: ProcessReport): string {
  const lines = [`${report.file}${report.interactionId ? `  (interaction ${report.interactionId})` : ""}`];
  if (report.error) {
    lines.push(`  FAILED ${report.error.code}: ${report.error.message}${report.error.retryable ? " (retryable)" : ""}`);
    return lines.join("\n");
  }
  const deals = report.deals;
  if (deals) {
    const llm = `${deals.llm.calls} LLM calls in ${deals.llm.sequentialRounds} rounds`;
    lines.push(
      `  deals: ${deals.status}, ${deals.route}; created ${deals.created.length}, merged ${deals.merged.length}, deal_count ${deals.dealCount} — ${Math.round(deals.timings.total)} ms, ${llm}`,
    );
    for (const deal of deals.deals) {
      const how = deal.reason === "new" ? "new" : `${deal.reason.replace(/_/g, " ")}${deal.score === null ? "" : ` ${deal.score.toFixed(2)}`}`;
      lines.push(`    ${deal.action === "created" ? "+" : "~"} ${deal.action} ${deal.dealRef}  ${deal.name}  (${how})`);
    }
    for (const error of deals.errors) lines.push(`    x deal #${error.index} failed at ${error.stage}: ${error.message}`);
    for (const warning of deals.warnings) lines.push(`    ! ${warning}`);
    const p = deals.projection;
    lines.push(
      p.status === "projected"
        ? `    projection: ${p.counts.opportunities} opportunities, ${p.counts.deal_versions} versions, ${p.counts.interaction_links} links`
        : `    projection FAILED: ${p.error}`,
    );
  }
  return lines.join("\n");
}

export function registerProcess(program: Command, context: CliContext): void {
  program
    .command("process")
    .description("Run the pipelines in-process on EnvelopeV1 JSON files, in the order given, and print each result")
    .argument("[files...]", "EnvelopeV1 JSON files")
    .option("--corpus [dir]", "process a corpus directory (manifest.json) in timestamp order instead of files")
    .option("--json", "print one JSON array of results")
    .action(async (files: string[], options: { corpus?: string | true; json?: boolean }) => {
      if ((files.length === 0) === (options.corpus === undefined)) {
        throw new ValidationError("name at least one envelope file, or --corpus, but not both", [
          { path: "files", message: "Give files or --corpus" },
        ]);
      }
      const sources =
        options.corpus === undefined
          ? await Promise.all(files.map(readEnvelopeFile))
          : await corpusSources(options.corpus === true ? path.join(process.cwd(), "..", "shared", "corpus") : options.corpus);
      const reports = await runProcess(context, sources, (report) => {
        if (!options.json) console.log(formatProcess(report));
      });
      if (options.json) console.log(JSON.stringify(reports, null, 2));
      if (reports.some((r) => r.error !== null)) process.exitCode = 1;
    });
}
