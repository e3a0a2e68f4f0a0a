import type { Logger } from "@dealgraph/logging";
import { randomUUID } from "node:crypto";
import { parseConfig, type Config } from "@dealgraph/config";
import { parseEnvelope, type AcceptedEnvelope } from "@dealgraph/contracts";
import {
  AccountStateRepository,
  defaultLabelledSetDir,
  distribution,
  keywordsMatch,
  labelledPairs,
  suggestedThresholds,
  loadLabelledSet,
  runCheck,
  scoreTranscript,
  summarize,
  type CheckOutcome,
  type EvaluationSummary,
  type GoldSeries,
  type LabelledEntry,
  type LabelledSet,
  type PairScore,
  type ScoreDistribution,
  type TranscriptScore,
} from "@dealgraph/evaluation";
import type { ExtractedActionItem, ExtractedDeal } from "@dealgraph/extraction";
import {
  cosineSimilarity,
  createLlmProvider,
  extractActionItems,
  extractDeals,
  interactionTypeOf,
  looksDiarized,
  type InteractionText,
  type LlmProvider,
} from "@dealgraph/llm";
import { createDatabase } from "@dealgraph/store";
import { closeGraphs, connectGraphs, deleteTenantNodes } from "@dealgraph/graph";
import { Option, type Command } from "commander";
import type { CliContext } from "../cli-context";
import { openPipelines } from "../pipelines";

/*
 * `dealgraph eval`: extraction quality on a labelled set. Each transcript is extracted on its own
 * (the extract stage both pipelines run, guards included) and scored against its labels; each
 * account series then runs call by call through the real pipelines in a fresh tenant, and its
 * checks are read from the projection the CRM would see.
 */

export interface SeriesReport {
  id: string;
  tenantId: string;
  checks: CheckOutcome[];
  /** Set when a call could not be processed; the checks then run on what was written. */
  errors: string[];
}

/** Cosine scores of the same deal or item across the calls of a series, against different ones (--match-scores). */
export interface MatchScoreReport {
  kind: "deal" | "action_item";
  same: ScoreDistribution;
  different: ScoreDistribution;
  suggested: { autoMerge: number | null; askModel: number | null };
  pairs: PairScore[];
}

export interface EvalReport {
  dir: string;
  provider: string;
  model: string;
  transcripts: TranscriptScore[];
  series: SeriesReport[];
  summary: EvaluationSummary;
  matchScores?: MatchScoreReport[];
}

type Extraction = { deals: ExtractedDeal[]; actionItems: ExtractedActionItem[] };

function configFor(context: CliContext, provider: "offline" | "openai" | undefined): Config {
  const base = context.config();
  return provider ? { ...base, llm: parseConfig({ ...process.env, LLM_PROVIDER: provider }).llm } : base;
}

function interactionOf(text: string, occurredAt: string | null, targeted: boolean): InteractionText {
  return { text, format: looksDiarized(text) ? "diarized" : "plain", interactionType: interactionTypeOf(text), occurredAt, targeted };
}

async function scoreTranscripts(
  llm: LlmProvider,
  set: LabelledSet,
  only: Set<string> | null,
): Promise<{ scores: TranscriptScore[]; model: string; extractions: Map<string, Extraction> }> {
  const timestamps = new Map(set.gold.series.flatMap((s) => s.calls.map((c) => [c.transcript, c.timestamp] as const)));
  const scores: TranscriptScore[] = [];
  const extractions = new Map<string, Extraction>();
  let model = "";
  for (const gold of set.gold.transcripts) {
    if (only && !only.has(gold.id)) continue;
    const input = interactionOf(set.texts.get(gold.id) ?? "", timestamps.get(gold.id) ?? null, false);
    const [items, deals] = await Promise.all([extractActionItems(llm, input), extractDeals(llm, input)]);
    model = deals.call.model;
    const extraction = { deals: deals.value.deals, actionItems: items.value.action_items };
    extractions.set(gold.id, extraction);
    scores.push(scoreTranscript(gold, extraction));
  }
  return { scores, model, extractions };
}

/** Deals and items of each series call, labelled by the gold deal or series item check they fit. */
async function matchScores(
  llm: LlmProvider,
  set: LabelledSet,
  scores: readonly TranscriptScore[],
  extractions: Map<string, Extraction>,
): Promise<MatchScoreReport[]> {
  const byId = new Map(scores.map((s) => [s.id, s]));
  const deals: LabelledEntry[][] = [];
  const items: LabelledEntry[][] = [];
  for (const series of set.gold.series) {
    const seriesDeals: LabelledEntry[] = [];
    const seriesItems: LabelledEntry[] = [];
    series.calls.forEach((call, index) => {
      const extraction = extractions.get(call.transcript);
      const score = byId.get(call.transcript);
      if (!extraction || !score) return;
      for (const deal of extraction.deals) {
        const hit = score.deals.hits.find((h) => h.deal === deal);
        seriesDeals.push({ text: `${deal.name}: ${deal.summary}`, label: hit ? JSON.stringify(hit.gold.keywords) : null, call: index });
      }
      for (const item of extraction.actionItems) {
        const check = series.checks.find((c) => c.type === "item" && keywordsMatch(c.keywords, item.text));
        seriesItems.push({ text: item.text, label: check?.name ?? null, call: index });
      }
    });
    deals.push(seriesDeals);
    items.push(seriesItems);
  }
  // A call about several deals of one account gives the pairs that must stay apart.
  const inSeries = new Set(set.gold.series.flatMap((s) => s.calls.map((c) => c.transcript)));
  for (const score of scores) {
    if (inSeries.has(score.id) || score.deals.hits.length < 2) continue;
    deals.push(score.deals.hits.map((h) => ({ text: `${h.deal.name}: ${h.deal.summary}`, label: JSON.stringify(h.gold.keywords), call: 0 })));
  }
  const report = async (kind: MatchScoreReport["kind"], groups: LabelledEntry[][]): Promise<MatchScoreReport> => {
    const pairs = groups.flatMap((entries) => labelledPairs(entries));
    const texts = [...new Set(pairs.flatMap((p) => [p.a.text, p.b.text]))];
    const { vectors } = await llm.embed(texts);
    const vectorOf = new Map(texts.map((t, i) => [t, vectors[i]!]));
    const scored = pairs.map((p) => ({ same: p.same, score: cosineSimilarity(vectorOf.get(p.a.text)!, vectorOf.get(p.b.text)!), a: p.a.text, b: p.b.text }));
    return {
      kind,
      same: distribution(scored.filter((p) => p.same).map((p) => p.score)),
      different: distribution(scored.filter((p) => !p.same).map((p) => p.score)),
      suggested: suggestedThresholds(scored),
      pairs: scored,
    };
  };
  return [await report("deal", deals), await report("action_item", items)];
}

function seriesEnvelope(set: LabelledSet, series: GoldSeries, tenantId: string, index: number, opportunityId: string | undefined): AcceptedEnvelope {
  const call = series.calls[index]!;
  const text = set.texts.get(call.transcript) ?? "";
  const interactionId = randomUUID();
  const envelope = parseEnvelope({
    schema_version: "v1",
    tenant_id: tenantId,
    account_id: series.account_id,
    interaction_id: interactionId,
    ...(call.targeted && opportunityId ? { opportunity_id: opportunityId } : {}),
    interaction_type: interactionTypeOf(text),
    content: { text, format: looksDiarized(text) ? "diarized" : "plain" },
    timestamp: call.timestamp,
    source: "import",
  });
  return { ...envelope, interaction_id: interactionId };
}

/** The graphs' share of an evaluation tenant. */
async function deleteGraphTenant(config: Config, tenantId: string): Promise<void> {
  const graphs = connectGraphs(config);
  try {
    for (const graph of Object.values(graphs)) await deleteTenantNodes(graph, [tenantId]);
  } finally {
    await closeGraphs(graphs);
  }
}

async function runSeries(config: Config, logger: Logger, set: LabelledSet, only: Set<string> | null, keep: boolean): Promise<SeriesReport[]> {
  const chosen = set.gold.series.filter((s) => !only || s.calls.some((c) => only.has(c.transcript)) || only.has(s.id));
  if (chosen.length === 0) return [];
  const pipelines = await openPipelines(config, logger);
  const db = createDatabase({ url: config.postgres.url, applicationName: "dealgraph-eval" });
  const accounts = new AccountStateRepository(db);
  const reports: SeriesReport[] = [];
  try {
    for (const series of chosen) {
      // A fresh tenant per series and run: nothing from an earlier run or another series can merge in.
      const tenantId = randomUUID();
      const errors: string[] = [];
      let firstDeal: string | undefined;
      for (let index = 0; index < series.calls.length; index++) {
        const envelope = seriesEnvelope(set, series, tenantId, index, firstDeal);
        const [items, deals] = await Promise.allSettled([pipelines.actionItems.process(envelope), pipelines.deals.process(envelope)]);
        if (items.status === "rejected") errors.push(`${series.calls[index]!.transcript} action items: ${String(items.reason)}`);
        if (deals.status === "rejected") errors.push(`${series.calls[index]!.transcript} deals: ${String(deals.reason)}`);
        if (index === 0 && deals.status === "fulfilled") firstDeal = deals.value.created[0] ?? deals.value.merged[0];
      }
      const state = await accounts.read(tenantId, series.account_id);
      reports.push({ id: series.id, tenantId, checks: series.checks.map((check) => runCheck(check, state)), errors });
      if (!keep) {
        // The CRM-shared opportunities table is not the application role's to delete from: the
        // owner role clears the run's own throwaway tenant.
        const owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "dealgraph-eval-cleanup" });
        try {
          await new AccountStateRepository(owner).deleteTenant(tenantId);
          await deleteGraphTenant(config, tenantId);
        } catch (error) {
          errors.push(`cleanup of tenant ${tenantId} failed (its data stays): ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          await owner.destroy();
        }
      }
    }
  } finally {
    await Promise.allSettled([pipelines.close(), db.destroy()]);
  }
  return reports;
}

export async function runEval(
  context: CliContext,
  options: { dir?: string; provider?: "offline" | "openai"; only?: string[]; series?: boolean; matchScores?: boolean; keep?: boolean },
): Promise<EvalReport> {
  const config = configFor(context, options.provider);
  const dir = options.dir ?? defaultLabelledSetDir();
  const set = await loadLabelledSet(dir);
  const only = options.only && options.only.length > 0 ? new Set(options.only) : null;
  const llm = createLlmProvider(config);
  const { scores, model, extractions } = await scoreTranscripts(llm, set, only);
  const series = options.series === false ? [] : await runSeries(config, context.logger(), set, only, options.keep === true);
  const report: EvalReport = {
    dir,
    provider: llm.name,
    model,
    transcripts: scores,
    series,
    summary: summarize(
      scores,
      series.map((s) => s.checks),
    ),
  };
  if (options.matchScores) report.matchScores = await matchScores(llm, set, scores, extractions);
  return report;
}

const pct = (rate: number | null) => (rate === null ? "  n/a" : `${(rate * 100).toFixed(1).padStart(5)}%`);
const ratio = (r: { correct: number; total: number; rate: number | null }) => `${pct(r.rate)}  (${r.correct}/${r.total})`;
const clip = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function formatTranscript(score: TranscriptScore): string[] {
  const lines: string[] = [];
  const { deals, items } = score;
  for (const miss of deals.misses) lines.push(`  missed deal: ${clip(miss.description)}`);
  for (const deal of deals.inventions) lines.push(`  invented deal: ${clip(deal.name)}`);
  for (const hit of deals.hits) {
    const wrong = (["amount", "currency", "stage", "economicBuyer", "champion"] as const).filter((k) => hit[k] === false);
    if (wrong.length > 0) {
      const detail = `amount ${hit.deal.amount ?? "none"} ${hit.deal.currency ?? ""}, stage ${hit.deal.stage}, EB ${hit.deal.meddic.economic_buyer?.text ?? "none"}, champion ${hit.deal.meddic.champion?.text ?? "none"}`;
      lines.push(`  deal "${clip(hit.deal.name, 50)}": wrong ${wrong.join(", ")} (${clip(detail, 140)})`);
    }
  }
  for (const name of deals.mustNot) lines.push(`  MUST-NOT deal: ${clip(name)}`);
  for (const miss of items.misses) lines.push(`  missed item: ${miss.owner ?? "?"}: ${clip(miss.evidence)}`);
  for (const item of items.inventions) lines.push(`  invented item: ${item.owner_name ?? "?"}: ${clip(item.text)}`);
  for (const hit of items.hits) {
    if (hit.owner === false) lines.push(`  item owner: "${clip(hit.item.text, 60)}" by ${hit.item.owner_name ?? "nobody"}, expected ${hit.gold.owner}`);
    if (hit.status === false) lines.push(`  item status: "${clip(hit.item.text, 60)}" ${hit.item.status}, expected ${hit.gold.status}`);
  }
  for (const text of items.mustNot) lines.push(`  MUST-NOT item: ${clip(text)}`);
  return lines.length === 0 ? [] : [score.id, ...lines];
}

export function formatEval(report: EvalReport): string {
  const lines: string[] = [`Labelled set ${report.dir} — provider ${report.provider} (${report.model})`, ""];
  for (const score of report.transcripts) lines.push(...formatTranscript(score));
  for (const series of report.series) {
    const failed = series.checks.filter((c) => !c.passed);
    lines.push(`series ${series.id}: ${series.checks.length - failed.length}/${series.checks.length} checks`);
    for (const check of failed) lines.push(`  failed: ${check.name} — found ${clip(check.actual, 120)}`);
    for (const error of series.errors) lines.push(`  error: ${clip(error, 160)}`);
  }
  const { deals, actionItems, series } = report.summary;
  const f = (n: number | null) => (n === null ? "n/a" : n.toFixed(2));
  lines.push(
    "",
    `Summary over ${report.summary.transcripts} transcripts and ${series.count} series`,
    `  deals         P ${f(deals.precision)}  R ${f(deals.recall)}  F1 ${f(deals.f1)}  (${deals.truePositives} found, ${deals.falsePositives} invented, ${deals.falseNegatives} missed, ${deals.mustNot} must-not)`,
    `    amount        ${ratio(deals.amount)}`,
    `    currency      ${ratio(deals.currency)}`,
    `    stage         ${ratio(deals.stage)}`,
    `    econ. buyer   ${ratio(deals.economicBuyer)}`,
    `    champion      ${ratio(deals.champion)}`,
    `  action items  P ${f(actionItems.precision)}  R ${f(actionItems.recall)}  F1 ${f(actionItems.f1)}  (${actionItems.truePositives} found, ${actionItems.falsePositives} invented, ${actionItems.falseNegatives} missed, ${actionItems.mustNot} must-not)`,
    `    owner         ${ratio(actionItems.owner)}`,
    `    status        ${ratio(actionItems.status)}`,
    `  series checks ${ratio(series.checks)}`,
  );
  for (const scores of report.matchScores ?? []) {
    const d = (x: ScoreDistribution) => `${x.pairs} pairs, min ${f(x.min)} p10 ${f(x.p10)} median ${f(x.median)} p90 ${f(x.p90)} max ${f(x.max)}`;
    lines.push(
      "",
      `Match scores (${scores.kind}, cosine of ${report.model ? "the provider's" : "the"} embeddings across series calls)`,
      `  same       ${d(scores.same)}`,
      `  different  ${d(scores.different)}`,
      `  supported thresholds: auto-merge ≥ ${f(scores.suggested.autoMerge)}, ask the model ≥ ${f(scores.suggested.askModel)}`,
    );
  }
  return lines.join("\n");
}

export function registerEval(program: Command, context: CliContext): void {
  program
    .command("eval")
    .description("Score extraction against a labelled set (gold.json + transcripts); series run through the pipelines in a fresh tenant")
    .argument("[dir]", "the labelled set (default: examples/eval, or EVAL_DIR)")
    .addOption(new Option("--provider <name>", "override LLM_PROVIDER").choices(["offline", "openai"]))
    .option("--only <ids...>", "score only these transcript or series ids")
    .option("--no-series", "skip the account series (needs no running services)")
    .option("--match-scores", "also report how the embeddings score the same and different deals and items across series calls")
    .option("--keep", "keep the series' tenants (their ids are in the report) instead of deleting them afterwards")
    .option("--json", "print the whole report as JSON")
    .action(
      async (
        dir: string | undefined,
        options: { provider?: "offline" | "openai"; only?: string[]; series: boolean; matchScores?: boolean; keep?: boolean; json?: boolean },
      ) => {
        const report = await runEval(context, {
          dir,
          provider: options.provider,
          only: options.only,
          series: options.series,
          matchScores: options.matchScores,
          keep: options.keep,
        });
        console.log(options.json ? JSON.stringify(report, null, 2) : formatEval(report));
      },
    );
}
