import { readFile } from "node:fs/promises";
import { parseConfig } from "@dealgraph/config";
import { ENVELOPE_LIMITS, parseEnvelope } from "@dealgraph/contracts";
import { ValidationError } from "@dealgraph/errors";
import type { ActionItemExtraction, DealExtraction } from "@dealgraph/extraction";
import { createLlmProvider, extractActionItems, extractDeals, looksDiarized, totalCalls, type InteractionText, type LlmCall } from "@dealgraph/llm";
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context";

export interface ExtractReport {
  file: string;
  provider: string;
  skipped: string | null;
  action_items: ActionItemExtraction["action_items"];
  deals: DealExtraction["deals"];
  warnings: string[];
  llm: ReturnType<typeof totalCalls> & { calls_detail: LlmCall[] };
}

/** FILE is an EnvelopeV1 JSON document or a plain transcript. */
async function readInteraction(file: string): Promise<InteractionText> {
  const raw = await readFile(file, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  if (json !== undefined && typeof json === "object" && json !== null) {
    const envelope = parseEnvelope(json);
    return {
      text: envelope.content.text,
      format: envelope.content.format,
      interactionType: envelope.interaction_type,
      occurredAt: envelope.timestamp,
      targeted: envelope.opportunity_id !== undefined,
    };
  }
  if (raw.length > ENVELOPE_LIMITS.maxTextChars) {
    throw new ValidationError(`${file} is longer than ${ENVELOPE_LIMITS.maxTextChars} characters`, [
      { path: "content.text", message: `Must be at most ${ENVELOPE_LIMITS.maxTextChars} characters` },
    ]);
  }
  return {
    text: raw,
    format: looksDiarized(raw) ? "diarized" : "plain",
    interactionType: "transcript",
    occurredAt: null,
    targeted: false,
  };
}

export async function runExtract(context: CliContext, file: string, provider?: "offline" | "openai"): Promise<ExtractReport> {
  const base = context.config();
  const config = provider ? { ...base, llm: parseConfig({ ...process.env, LLM_PROVIDER: provider }).llm } : base;
  const llm = createLlmProvider(config);
  const input = await readInteraction(file);
  const empty = { file, provider: llm.name, action_items: [], deals: [] };
  if (input.text.trim().length < ENVELOPE_LIMITS.minProcessableTextChars) {
    const reason = `text shorter than ${ENVELOPE_LIMITS.minProcessableTextChars} characters; the pipelines skip it`;
    return { ...empty, skipped: reason, warnings: [reason], llm: { ...totalCalls([]), calls_detail: [] } };
  }
  const [items, deals] = await Promise.all([extractActionItems(llm, input), extractDeals(llm, input)]);
  const calls = [items.call, deals.call];
  return {
    ...empty,
    skipped: null,
    action_items: items.value.action_items,
    deals: deals.value.deals,
    warnings: [...items.warnings.map((w) => `action items: ${w}`), ...deals.warnings.map((w) => `deals: ${w}`)],
    llm: { ...totalCalls(calls), calls_detail: calls },
  };
}

export function formatExtract(report: ExtractReport): string {
  const lines: string[] = [`${report.file} (provider: ${report.provider})`];
  if (report.skipped) return [...lines, `  skipped: ${report.skipped}`].join("\n");
  lines.push("", `Action items (${report.action_items.length})`);
  for (const item of report.action_items) {
    const due = item.due_hint ? `, due ${item.due_hint}` : "";
    lines.push(`  - [${item.status}] ${item.text} — ${item.owner_name ?? "unowned"}${due} (topic: ${item.topic})`);
  }
  lines.push("", `Deals (${report.deals.length})`);
  for (const deal of report.deals) {
    const amount = deal.amount === null ? "no amount" : `${deal.amount.toLocaleString("en-US")} ${deal.currency ?? ""}`.trim();
    lines.push(`  * ${deal.name} — ${amount}, stage ${deal.stage}, confidence ${deal.confidence.toFixed(2)}`);
    lines.push(`    ${deal.summary}`);
    for (const [field, value] of Object.entries(deal.meddic)) {
      if (value) lines.push(`    ${field.padEnd(18)} ${value.text.length > 100 ? `${value.text.slice(0, 99)}…` : value.text}`);
    }
    const scores = Object.entries(deal.ontology).filter(([, dim]) => dim.score !== null);
    lines.push(`    ontology ${scores.length}/15: ${scores.map(([dim, value]) => `${dim}=${value.score}`).join(" ") || "none scored"}`);
  }
  if (report.warnings.length > 0) lines.push("", "Warnings", ...report.warnings.map((w) => `  ! ${w}`));
  lines.push(
    "",
    `LLM: ${report.llm.calls} calls, ${report.llm.promptTokens} prompt + ${report.llm.completionTokens} completion tokens, ${Math.round(report.llm.latencyMs)} ms`,
  );
  return lines.join("\n");
}

export function registerExtract(program: Command, context: CliContext): void {
  program
    .command("extract")
    .description("Print what both pipelines would extract from an EnvelopeV1 JSON file or a plain transcript")
    .argument("<file>", "EnvelopeV1 JSON or transcript text")
    .addOption(new Option("--provider <name>", "override LLM_PROVIDER").choices(["offline", "openai"]))
    .option("--json", "print JSON")
    .action(async (file: string, options: { provider?: "offline" | "openai"; json?: boolean }) => {
      const report = await runExtract(context, file, options.provider);
      console.log(options.json ? JSON.stringify(report, null, 2) : formatExtract(report));
    });
}
