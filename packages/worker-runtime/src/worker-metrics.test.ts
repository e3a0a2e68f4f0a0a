import {
  HashingEmbedder,
  LlmUnavailableError,
  MeteredProvider,
  OfflineProvider,
  extractDealsTask,
  type LlmCallOutcome,
  type LlmProvider,
} from "@dealgraph/llm";
import { WorkerMetrics } from "./worker-metrics";

async function metricLines(metrics: WorkerMetrics, name: string): Promise<string[]> {
  return (await metrics.registry.metrics()).split("\n").filter((line) => line.startsWith(`${name}{`));
}

const INPUT = {
  text: "Ada (Vendor): The platform is 90,000 dollars a year.",
  format: "diarized",
  interactionType: "transcript",
  occurredAt: null,
  targeted: false,
} as const;

describe("model metrics", () => {
  it("counts calls, tokens and estimated spend by provider, model and task, and failed calls with their code", async () => {
    const metrics = new WorkerMetrics({ "gpt-x": { input: 2, output: 8 } });
    const ok: LlmCallOutcome = {
      ok: true,
      call: {
        provider: "openai",
        model: "gpt-x",
        kind: "completion",
        task: "extract_deals",
        inputs: 1,
        promptTokens: 1_000_000,
        completionTokens: 500_000,
        latencyMs: 1200,
      },
    };
    metrics.llmCall("deals", ok);
    metrics.llmCall("deals", {
      ok: false,
      provider: "openai",
      model: "gpt-x",
      kind: "completion",
      task: "extract_deals",
      latencyMs: 30_000,
      error: new LlmUnavailableError("timed out"),
    });
    metrics.llmCall("deals", { ok: false, provider: "openai", model: "gpt-x", kind: "embedding", task: "embed", latencyMs: 5, error: new TypeError("boom") });

    expect(await metricLines(metrics, "dealgraph_llm_calls_total")).toEqual(
      expect.arrayContaining([
        'dealgraph_llm_calls_total{pipeline="deals",provider="openai",model="gpt-x",task="extract_deals",outcome="ok"} 1',
        'dealgraph_llm_calls_total{pipeline="deals",provider="openai",model="gpt-x",task="extract_deals",outcome="LLM_UNAVAILABLE"} 1',
        'dealgraph_llm_calls_total{pipeline="deals",provider="openai",model="gpt-x",task="embed",outcome="ERROR"} 1',
      ]),
    );
    // 1M prompt tokens at $2 and 0.5M completion tokens at $8.
    expect(await metricLines(metrics, "dealgraph_llm_cost_usd_total")).toEqual([
      'dealgraph_llm_cost_usd_total{pipeline="deals",provider="openai",model="gpt-x",task="extract_deals"} 6',
    ]);
    expect(await metricLines(metrics, "dealgraph_llm_tokens_total")).toContain(
      'dealgraph_llm_tokens_total{pipeline="deals",provider="openai",model="gpt-x",task="extract_deals",kind="completion"} 500000',
    );
    expect(await metricLines(metrics, "dealgraph_llm_call_seconds_count")).toContain(
      'dealgraph_llm_call_seconds_count{pipeline="deals",provider="openai",model="gpt-x",task="extract_deals"} 2',
    );
  });

  it("hears of every call a metered provider makes, and of the failed ones before they propagate", async () => {
    const outcomes: LlmCallOutcome[] = [];
    const offline = new OfflineProvider(new HashingEmbedder(8));
    await new MeteredProvider(offline, (outcome) => outcomes.push(outcome)).complete(extractDealsTask, INPUT);
    const failing: LlmProvider = {
      name: "openai",
      embeddingDimension: 8,
      models: { completion: "gpt-y", embedding: "emb-y" },
      complete: (task, input) => offline.complete(task, input),
      embed: () => Promise.reject(new LlmUnavailableError("down")),
    };
    await expect(new MeteredProvider(failing, (outcome) => outcomes.push(outcome)).embed(["a"])).rejects.toThrow("down");
    expect(outcomes.map((o) => (o.ok ? [o.call.task, "ok"] : [o.task, o.model]))).toEqual([
      ["extract_deals", "ok"],
      ["embed", "emb-y"],
    ]);
  });
});
