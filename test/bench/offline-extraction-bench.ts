import { readFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Config } from "@dealgraph/config";
import { createLlmProvider, extractActionItems, extractDeals, interactionTypeOf, looksDiarized } from "@dealgraph/llm";
import { projectRoot } from "../support/run-cli";
import { row, type BenchRow } from "./report";

/*
 * The offline provider on a long call: both extraction tasks on a 150-line transcript (two of
 * the labelled set's long calls end to end), cold (the ONNX model loads on first use) and warm,
 * and how much resident memory the model and the NLP libraries add to the process.
 */

const LINES = 150;

async function longCall(): Promise<string> {
  const dir = path.join(projectRoot, "examples", "eval", "transcripts");
  const texts = await Promise.all(
    ["d14-health-system-denials-long.txt", "d19-law-firm-clm-long.txt", "d29-outdoor-retailer-cdp-long.txt"].map((f) => readFile(path.join(dir, f), "utf8")),
  );
  return texts
    .join("\n")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(0, LINES)
    .join("\n");
}

export async function offlineExtractionBench(config: Config, runs: number): Promise<BenchRow[]> {
  if (config.llm.provider !== "offline") throw new Error("the offline extraction benchmark needs LLM_PROVIDER=offline (or no API key)");
  const text = await longCall();
  const input = {
    text,
    format: looksDiarized(text) ? ("diarized" as const) : ("plain" as const),
    interactionType: interactionTypeOf(text),
    occurredAt: "2026-05-01T10:00:00Z",
    targeted: false,
  };
  global.gc?.();
  const before = process.memoryUsage().rss;
  const llm = createLlmProvider(config);
  const extract = async () => {
    const started = performance.now();
    await Promise.all([extractActionItems(llm, input), extractDeals(llm, input)]);
    return performance.now() - started;
  };
  const cold = await extract();
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await extract());
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)] ?? cold;
  const added = (process.memoryUsage().rss - before) / 2 ** 20;
  return [
    row("offline extraction", `${LINES}-line call, both tasks, warm (median of ${runs})`, median, "ms", undefined, { text: "< 3,000 ms", met: median < 3000 }),
    row("offline extraction", `${LINES}-line call, first call (loads the model)`, cold, "ms"),
    row("offline extraction", `resident memory the model and rules add (${config.llm.embeddingModel.name})`, added, "MB", undefined, {
      text: "≤ 400 MB",
      met: added <= 400,
    }),
  ];
}
