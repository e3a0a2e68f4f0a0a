import { performance } from "node:perf_hooks";
import { fieldIssuesFromZod } from "@dealgraph/errors";
import { deterministicSynthesis, type ActionItemExtraction, type DealExtraction, type DealSynthesisRequest } from "@dealgraph/extraction";
import { extractActionItemsTask, extractDealsTask, type InteractionText } from "../extraction-tasks";
import { decideMatchesTask } from "../match-tasks";
import { synthesizeDealsTask } from "../synthesis-tasks";
import { LlmOutputError, LlmRequestError } from "../llm-errors";
import type { Completion, EmbeddingBatch, LlmProvider, LlmTask } from "../provider";
import { extractActionItemsByRules } from "./action-item-rules";
import { extractDealsByRules } from "./deals/deal-rules";
import { decideMatchesByRules } from "./match-rules";
import { SentenceClassifier } from "./semantic-cues";
import type { SentenceEmbedder } from "./sentence-embedder";
import { parseTranscript, Participants } from "./transcript";

type Rules = (input: never) => unknown;

/**
 * Deterministic and offline: rule-based answers per task, and embeddings from a local sentence
 * model (the ONNX embedder; tests may hand it a double). It is the default when no API key is
 * configured and what the tests and the demo run on. Its answers pass through the task's zod
 * schema exactly as a model's would.
 */
export class OfflineProvider implements LlmProvider {
  readonly name = "offline";
  private readonly rules = new Map<string, Rules>();

  readonly embeddingDimension: number;
  readonly models: LlmProvider["models"];

  constructor(private readonly embedder: SentenceEmbedder) {
    this.embeddingDimension = embedder.dimension;
    this.models = { completion: `rules+${embedder.model}`, embedding: embedder.model };
    this.register(extractActionItemsTask, (input: InteractionText): ActionItemExtraction => {
      const utterances = parseTranscript(input.text);
      return { action_items: extractActionItemsByRules(utterances, new Participants(utterances), { knownItems: input.knownItems ?? [] }) };
    });
    const classifier = new SentenceClassifier(embedder);
    this.register(extractDealsTask, async (input: InteractionText): Promise<DealExtraction> => {
      const utterances = parseTranscript(input.text);
      const semantic = await classifier.classify(utterances.flatMap((u) => u.sentences));
      return {
        deals: extractDealsByRules(utterances, new Participants(utterances), { targeted: input.targeted, knownDeals: input.knownDeals ?? [], semantic }),
      };
    });
    this.register(decideMatchesTask, decideMatchesByRules);
    this.register(synthesizeDealsTask, (deals: DealSynthesisRequest[]) => ({ updates: deals.map(deterministicSynthesis) }));
  }

  /** Adds the rules that answer `task`; later issues' tasks register theirs the same way. */
  register<Input, Output>(task: LlmTask<Input, Output>, rules: (input: Input) => Output | Promise<Output>): void {
    this.rules.set(task.name, rules as Rules);
  }

  async complete<Input, Output>(task: LlmTask<Input, Output>, input: Input): Promise<Completion<Output>> {
    const rules = this.rules.get(task.name);
    if (!rules) throw new LlmRequestError(`the offline provider has no rules for task ${task.name}`);
    const started = performance.now();
    const parsed = task.schema.safeParse(await (rules as (input: Input) => unknown)(input));
    const latencyMs = performance.now() - started;
    if (!parsed.success) {
      // The rules are ours, so this is a bug, and retrying will not fix it.
      throw new LlmOutputError(`offline rules for ${task.name} produced an invalid answer`, false, fieldIssuesFromZod(parsed.error));
    }
    return {
      value: parsed.data,
      call: {
        provider: this.name,
        model: `rules+${this.embedder.model}`,
        kind: "completion",
        task: task.name,
        inputs: 1,
        promptTokens: 0,
        completionTokens: 0,
        latencyMs,
      },
    };
  }

  async embed(texts: readonly string[]): Promise<EmbeddingBatch> {
    const started = performance.now();
    const vectors = await this.embedder.embed(texts);
    return {
      vectors,
      calls: [
        {
          provider: this.name,
          model: this.embedder.model,
          kind: "embedding",
          task: "embed",
          inputs: texts.length,
          promptTokens: 0,
          completionTokens: 0,
          latencyMs: performance.now() - started,
        },
      ],
    };
  }
}
