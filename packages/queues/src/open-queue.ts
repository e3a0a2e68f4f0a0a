import { Queue, type ConnectionOptions } from "bullmq";
import { pipelineQueues } from "./envelope-jobs";

/**
 * A BullMQ queue whose connection errors are handled. A queue re-emits its Redis connection's
 * errors, and an `error` event nobody listens to kills a Node process: a Redis blip (or a
 * connection still opening when a short-lived CLI closes it) must not.
 */
export function openQueue(name: string, options: { connection: ConnectionOptions; prefix: string; onError?: (error: Error) => void }): Queue {
  const queue = new Queue(name, { connection: options.connection, prefix: options.prefix });
  queue.on("error", (error) => options.onError?.(error));
  return queue;
}

type QueueOptions = Parameters<typeof openQueue>[1];

/** One of each pipeline's queues (`queue`, `deadLetter` or `projection`), by pipeline name. */
export function openPipelineQueues(pipelines: readonly string[], which: "queue" | "deadLetter" | "projection", options: QueueOptions): Record<string, Queue> {
  return Object.fromEntries(pipelines.map((pipeline) => [pipeline, openQueue(pipelineQueues(pipeline)[which], options)]));
}

/**
 * Closes a queue or flow producer without the late "Connection is closed" error BullMQ emits,
 * with nobody listening any more, when a connection that is still opening gets closed (it
 * killed short-lived CLI runs now and then): wait, briefly, until it is ready, then close.
 */
export async function closeQuietly(closable: { waitUntilReady(): Promise<unknown>; close(): Promise<void> }, waitMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    closable.waitUntilReady().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
  await closable.close();
}
