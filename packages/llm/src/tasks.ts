import { extractActionItemsTask, extractDealsTask } from "./extraction-tasks";
import { decideMatchesTask } from "./match-tasks";
import { synthesizeDealsTask } from "./synthesis-tasks";

/** Every task a provider is asked: what the response-format limits are checked over. */
export const LLM_TASKS = [extractActionItemsTask, extractDealsTask, decideMatchesTask, synthesizeDealsTask] as const;
