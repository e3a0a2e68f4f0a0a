import type { Config } from "@dealgraph/config";
import type { GraphClient } from "@dealgraph/graph";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import { Cluster } from "ioredis";
import type { Kysely } from "kysely";
import { TestFleet } from "../support/fleet";
import { killedWorkerScenario, perAccountOrderScenario, type FleetScenarioContext } from "../support/fleet-scenarios";
import { deleteTenantData, SuiteTenants } from "../support/pipelines";
import type { RunningApp } from "../support/processes";
import { startRedisCluster, type LocalRedisCluster } from "../support/redis-cluster";
import { connectGraph, migratedPostgres, testConfig } from "../support/services";

/*
 * The fleet on a Redis Cluster of three masters (REDIS_CLUSTER_NODES): the api, the workers and
 * the test's own queues reach it through ioredis' cluster client, and the fleet's ordering and
 * exactly-once scenarios pass on it as they do on one Redis.
 */

jest.setTimeout(180_000);

const suite = new SuiteTenants();
let cluster: LocalRedisCluster;
let config: Config;
let fleet: TestFleet;
let db: Kysely<Database>;
let dealGraph: GraphClient;
let aiGraph: GraphClient;
let apiKeys: ApiKeys;
let workers: RunningApp[] = [];

const scenario = (): FleetScenarioContext => ({
  fleet,
  db,
  dealGraph,
  aiGraph,
  workers,
  keyFor: async (tenantId) => (await apiKeys.create(tenantId, "redis cluster test")).key,
  startWorkers: async (deals, actionItems) => {
    for (let i = 0; i < deals; i += 1) workers.push(await fleet.startWorker("deals"));
    for (let i = 0; i < actionItems; i += 1) workers.push(await fleet.startWorker("action_items"));
  },
  stopWorkers: async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  },
});

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  const base = testConfig();
  config = { ...base, redis: { ...base.redis, clusterNodes: cluster.ports.map((port) => ({ host: "127.0.0.1", port })) } };
  fleet = new TestFleet(config);
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "redis-cluster-test" });
  apiKeys = new ApiKeys(db);
  dealGraph = await connectGraph(config, "deals");
  aiGraph = await connectGraph(config, "action_items");
  await fleet.startApi();
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await deleteTenantData(config, [dealGraph, aiGraph], suite.ids);
  await Promise.all([db?.destroy(), dealGraph?.close(), aiGraph?.close()]);
  await cluster?.stop();
}, 120_000);

it("applies one account's envelopes in timestamp order across four workers, other accounts proceeding", () =>
  perAccountOrderScenario(scenario(), suite.next()));

it("recovers a job whose worker was killed mid-job, with no duplicate node, version or row", () => killedWorkerScenario(scenario(), suite.next()));

it("kept the queues under the prefix's hash tag, on the one master that owns its slot", async () => {
  const client = new Cluster(cluster.ports.map((port) => ({ host: "127.0.0.1", port })));
  try {
    await client.ping();
    const holding = await Promise.all(client.nodes("master").map(async (node) => (await node.keys(`${fleet.prefix}:*`)).length));
    expect(holding.filter((count) => count > 0)).toHaveLength(1);
  } finally {
    client.disconnect();
  }
});
