import type { Config } from "@dealgraph/config";
import type { ConnectionOptions, Queue } from "bullmq";
import type { PipelineName } from "@dealgraph/contracts";
import { deadLetterSchema, pipelineQueues, type DeadLetter } from "./envelope-jobs";
import { EnvelopeProducer } from "./envelope-producer";
import { closeQuietly, openQueue } from "./open-queue";

/**
 * The dead-letter queues, for operators: list, inspect, replay and purge. A letter's id is the
 * failed job's id (`tenant.interaction`), the same in both places.
 */
export class DeadLetters {
  private readonly letters = new Map<PipelineName, Queue>();
  private readonly queues = new Map<PipelineName, Queue>();
  private readonly producer: EnvelopeProducer;

  constructor(
    connection: ConnectionOptions,
    config: Pick<Config, "redis" | "workers">,
    private readonly pipelines: readonly PipelineName[],
  ) {
    const queue = (name: string) => openQueue(name, { connection, prefix: config.redis.queuePrefix });
    for (const pipeline of pipelines) {
      this.letters.set(pipeline, queue(pipelineQueues(pipeline).deadLetter));
      this.queues.set(pipeline, queue(pipelineQueues(pipeline).queue));
    }
    this.producer = new EnvelopeProducer(connection, config);
  }

  private letterQueue(pipeline: PipelineName): Queue {
    const queue = this.letters.get(pipeline);
    if (!queue) throw new Error(`no pipeline ${pipeline}; known: ${this.pipelines.join(", ")}`);
    return queue;
  }

  async list(pipelines: readonly PipelineName[] = this.pipelines): Promise<DeadLetter[]> {
    const all = await Promise.all(pipelines.map((p) => this.letterQueue(p).getJobs(["waiting", "paused", "delayed"], 0, -1)));
    return all.flat().map((job) => deadLetterSchema.parse(job.data));
  }

  async show(pipeline: PipelineName, id: string): Promise<DeadLetter | null> {
    const job = await this.letterQueue(pipeline).getJob(id);
    return job ? deadLetterSchema.parse(job.data) : null;
  }

  /**
   * Puts the envelope back on its pipeline's queue with fresh attempts and removes the letter.
   * The caller resets the inbox status first, so the worker does not skip the job as finished.
   */
  async replay(pipeline: PipelineName, id: string): Promise<DeadLetter | null> {
    const letter = await this.show(pipeline, id);
    if (!letter) return null;
    // The failed original still holds the job id; it must go, or the new job would be ignored.
    await (await this.queues.get(pipeline)?.getJob(id))?.remove();
    await this.producer.enqueue(letter.payload, [pipeline]);
    await (await this.letterQueue(pipeline).getJob(id))?.remove();
    return letter;
  }

  async purge(pipeline: PipelineName): Promise<number> {
    const jobs = await this.letterQueue(pipeline).getJobs(["waiting", "paused", "delayed"], 0, -1);
    await Promise.all(jobs.map((job) => job.remove()));
    return jobs.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.letters.values(), ...this.queues.values()].map((q) => closeQuietly(q)));
    await this.producer.close();
  }
}
