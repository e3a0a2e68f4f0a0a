import { z } from "zod";

/**
 * A pipeline's name (`deals`, `action_items`): snake_case, because it names the pipeline's
 * queues, its inbox runs, its metrics labels and its part of an envelope's status.
 */
export const pipelineNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "Must be snake_case: a letter, then letters, digits or _");
export type PipelineName = z.infer<typeof pipelineNameSchema>;
