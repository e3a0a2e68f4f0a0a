import type { Config } from "@dealgraph/config";
import type { ConnectionOptions, Queue } from "bullmq";
import { PIPELINES, PIPELINE_QUEUES, deadLetterSchema, type DeadLetter, type Pipeline } from "./envelope-jobs";
import { EnvelopeProducer } from "./envelope-producer";
import { closeQuietly, openQueue } from "./open-queue";

/**
 * The dead-letter queues, for operators: list, inspect, replay and purge. A letter's id is the
 * failed job's id (`tenant.interaction`), the same in both places.
 */
export class DeadLetters {
  private readonly letters: Record<Pipeline, Queue>;
  private readonly queues: Record<Pipeline, Queue>;
  private readonly producer: EnvelopeProducer;

  constructor(connection: ConnectionOptions, config: Pick<Config, "redis" | "workers">) {
    const queue = (name: string) => openQueue(name, { connection, prefix: config.redis.queuePrefix });
    this.letters = { action_items: queue(PIPELINE_QUEUES.action_items.deadLetter), deals: queue(PIPELINE_QUEUES.deals.deadLetter) };
    this.queues = { action_items: queue(PIPELINE_QUEUES.action_items.queue), deals: queue(PIPELINE_QUEUES.deals.queue) };
    this.producer = new EnvelopeProducer(connection, config);
  }

  async list(pipelines: readonly Pipeline[] = PIPELINES): Promise<DeadLetter[]> {
    const all = await Promise.all(pipelines.map((p) => this.letters[p].getJobs(["waiting", "paused", "delayed"], 0, -1)));
    return all.flat().map((job) => deadLetterSchema.parse(job.data));
  }

  async show(pipeline: Pipeline, id: string): Promise<DeadLetter | null> {
    const job = await this.letters[pipeline].getJob(id);
    return job ? deadLetterSchema.parse(job.data) : null;
  }

  /**
   * Puts the envelope back on its pipeline's queue with fresh attempts and removes the letter.
   * The caller resets the inbox status first, so the worker does not skip the job as finished.
   */
  async replay(pipeline: Pipeline, id: string): Promise<DeadLetter | null> {
    const letter = await this.show(pipeline, id);
    if (!letter) return null;
    // The failed original still holds the job id; it must go, or the new job would be ignored.
    await (await this.queues[pipeline].getJob(id))?.remove();
    await this.producer.enqueue(letter.payload, [pipeline]);
    await (await this.letters[pipeline].getJob(id))?.remove();
    return letter;
  }

  async purge(pipeline: Pipeline): Promise<number> {
    const jobs = await this.letters[pipeline].getJobs(["waiting", "paused", "delayed"], 0, -1);
    await Promise.all(jobs.map((job) => job.remove()));
    return jobs.length;
  }

  async close(): Promise<void> {
    await Promise.all([...Object.values(this.letters), ...Object.values(this.queues)].map((q) => closeQuietly(q)));
    await this.producer.close();
  }
}
