import { randomUUID } from "node:crypto";
import { EnvelopeProducer, closeQuietly, openQueue } from "@dealgraph/queues";
import { testConfig } from "../support/services";

/*
 * A short-lived process (the CLI) opens queues and closes them at once. BullMQ emits a late
 * "Connection is closed" on a connection still opening when it is closed, with nobody left to
 * listen, which kills the process; closeQuietly waits for the connection first.
 */

const config = testConfig();

it("opens and at once closes queues and a flow producer, over and over, without an unheard error", async () => {
  const prefix = `{dealgraph-close-${randomUUID().slice(0, 8)}}`;
  const unheard: unknown[] = [];
  const onUncaught = (error: unknown) => unheard.push(error);
  process.on("uncaughtException", onUncaught);
  try {
    for (let round = 0; round < 20; round += 1) {
      const queues = ["a", "b", "c", "d"].map((name) => openQueue(name, { connection: { url: config.redis.url }, prefix }));
      const producer = new EnvelopeProducer({ url: config.redis.url }, { ...config, redis: { ...config.redis, queuePrefix: prefix } });
      await queues[0]?.getJobCounts();
      await Promise.all([...queues.map((queue) => closeQuietly(queue)), producer.close()]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off("uncaughtException", onUncaught);
  }
  expect(unheard).toEqual([]);
});
