import type { ActionItemPipelineResult } from "@dealgraph/action-item-pipeline";
import type { DealPipelineResult } from "@dealgraph/deal-pipeline";
import { DealgraphError } from "@dealgraph/errors";
import type { PipelineWarning } from "@dealgraph/pipeline-kit";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { envelopeSources, type EnvelopeSource } from "../envelope-sources";
import { openPipelines } from "../pipelines";

type Failure = { code: string; message: string; retryable: boolean };

/** One envelope through both pipelines; each side reports on its own, as it would from its own worker. */
export interface ProcessReport {
  file: string;
  interactionId: string | null;
  /** Set when the envelope could not be read or validated at all. */
  error: Failure | null;
  actionItems: { result: ActionItemPipelineResult | null; error: Failure | null };
  deals: { result: DealPipelineResult | null; error: Failure | null };
}

function failure(error: unknown): Failure {
  if (error instanceof DealgraphError) return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: "UNEXPECTED", message: error instanceof Error ? error.message : String(error), retryable: true };
}

async function settle<T>(work: () => Promise<T>): Promise<{ result: T | null; error: Failure | null }> {
  try {
    return { result: await work(), error: null };
  } catch (error) {
    return { result: null, error: failure(error) };
  }
}

export async function runProcess(context: CliContext, sources: EnvelopeSource[], onReport: (report: ProcessReport) => void): Promise<ProcessReport[]> {
  const config = context.config();
  const logger = context.logger();
  const pipelines = await openPipelines(config, logger);
  const reports: ProcessReport[] = [];
  try {
    for (const source of sources) {
      const envelope = source.envelope;
      let report: ProcessReport;
      if (envelope === null) {
        const none = { result: null, error: null };
        report = { file: source.file, interactionId: null, error: failure(source.error), actionItems: none, deals: none };
      } else {
        // The two pipelines are independent: one failing neither stops nor undoes the other.
        const [actionItems, deals] = await Promise.all([
          settle(() => pipelines.actionItems.process(envelope)),
          settle(() => pipelines.deals.process(envelope)),
        ]);
        report = { file: source.file, interactionId: envelope.interaction_id, error: null, actionItems, deals };
      }
      reports.push(report);
      onReport(report);
    }
  } finally {
    await pipelines.close();
  }
  return reports;
}

const failedLine = (side: string, error: Failure) => `  ${side}: FAILED ${error.code}: ${error.message}${error.retryable ? " (retryable)" : ""}`;
const warningLine = (w: PipelineWarning) => `    ! ${w.stage}: ${w.message}`;
const llmOf = (llm: { calls: number; sequentialRounds: number }) => `${llm.calls} LLM calls in ${llm.sequentialRounds} rounds`;
const projectionLine = (p: { status: "projected"; counts: object } | { status: "failed"; error: string }) =>
  p.status === "projected"
    ? `    projection: ${
        Object.entries(p.counts)
          .filter(([, n]) => (n as number) > 0)
          .map(([table, n]) => `${String(n)} ${table}`)
          .join(", ") || "nothing to write"
      }`
    : `    projection FAILED: ${p.error}`;

function formatActionItems(items: ActionItemPipelineResult): string[] {
  const lines = [
    `  action items: ${items.status}; created ${items.created.length}, updated ${items.updated.length}, mentioned ${items.mentioned.length}; topics created ${items.topics.created.length}, updated ${items.topics.updated.length} — ${Math.round(items.timings.total)} ms, ${llmOf(items.llm)}`,
  ];
  for (const item of items.items) {
    const mark = item.action === "created" ? "+" : item.action === "updated" ? "~" : "=";
    lines.push(`    ${mark} ${item.action} ${item.text}  (${item.reason.replace(/_/g, " ")})`);
  }
  for (const error of items.errors) lines.push(`    x item #${error.index} failed at ${error.stage}: ${error.message}`);
  for (const warning of items.warnings) lines.push(warningLine(warning));
  lines.push(projectionLine(items.projection));
  return lines;
}

function formatDeals(deals: DealPipelineResult): string[] {
  const lines = [
    `  deals: ${deals.status}, ${deals.route}; created ${deals.created.length}, merged ${deals.merged.length}, deal_count ${deals.dealCount} — ${Math.round(deals.timings.total)} ms, ${llmOf(deals.llm)}`,
  ];
  for (const deal of deals.deals) {
    const how = deal.reason === "new" ? "new" : `${deal.reason.replace(/_/g, " ")}${deal.score === null ? "" : ` ${deal.score.toFixed(2)}`}`;
    lines.push(`    ${deal.action === "created" ? "+" : "~"} ${deal.action} ${deal.dealRef}  ${deal.name}  (${how})`);
  }
  for (const error of deals.errors) lines.push(`    x deal #${error.index} failed at ${error.stage}: ${error.message}`);
  for (const warning of deals.warnings) lines.push(warningLine(warning));
  lines.push(projectionLine(deals.projection));
  return lines;
}

export function formatProcess(report: ProcessReport): string {
  const lines = [`${report.file}${report.interactionId ? `  (interaction ${report.interactionId})` : ""}`];
  if (report.error) return [...lines, failedLine("envelope", report.error)].join("\n");
  if (report.actionItems.error) lines.push(failedLine("action items", report.actionItems.error));
  if (report.actionItems.result) lines.push(...formatActionItems(report.actionItems.result));
  if (report.deals.error) lines.push(failedLine("deals", report.deals.error));
  if (report.deals.result) lines.push(...formatDeals(report.deals.result));
  return lines.join("\n");
}

export function registerProcess(program: Command, context: CliContext): void {
  program
    .command("process")
    .description("Run both pipelines in-process on EnvelopeV1 JSON files, in the order given, and print each result")
    .argument("[files...]", "EnvelopeV1 JSON files")
    .option("--corpus [dir]", "process a corpus directory (manifest.json) in timestamp order instead of files")
    .option("--json", "print one JSON array of results")
    .action(async (files: string[], options: { corpus?: string | true; json?: boolean }) => {
      const sources = await envelopeSources(files, options.corpus);
      const reports = await runProcess(context, sources, (report) => {
        if (!options.json) console.log(formatProcess(report));
      });
      if (options.json) console.log(JSON.stringify(reports, null, 2));
      if (reports.some((r) => r.error !== null || r.actionItems.error !== null || r.deals.error !== null)) process.exitCode = 1;
    });
}
