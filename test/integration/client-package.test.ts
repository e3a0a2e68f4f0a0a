import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Config } from "@dealgraph/config";
import { signWebhook, newWebhookSecret } from "@dealgraph/contracts";
import { pipelineQueues } from "@dealgraph/queues";
import { ApiKeys, createDatabase, type Database } from "@dealgraph/store";
import { Queue } from "bullmq";
import type { Kysely } from "kysely";
import { freePort } from "../support/free-port";
import { deleteTenantData } from "../support/pipelines";
import { startApp, type RunningApp } from "../support/processes";
import { projectRoot } from "../support/run-cli";
import { freshTenantId, migratedPostgres, testConfig } from "../support/services";

/*
 * `@dealgraph/client` as a producer outside this repository gets it: packed to a tarball,
 * installed with npm into an empty project where no workspace package exists, then required
 * (CommonJS), imported (ESM) and type-checked against the running api.
 */

const run = promisify(execFile);
const base = testConfig();
const config: Config = { ...base, redis: { ...base.redis, queuePrefix: `{dealgraph-test-${randomUUID().slice(0, 8)}}` } };
const tenant = freshTenantId();
let db: Kysely<Database>;
let queues: Queue[];
let api: RunningApp;
let producer = "";
let env: NodeJS.ProcessEnv = {};

// What the producer's scripts do with the package, the same in both module systems.
const script = (load: string) => `${load}
const client = new DealgraphClient({ baseUrl: process.env.API_URL, apiKey: process.env.API_KEY });
const envelope = {
  schema_version: "v1", tenant_id: process.env.TENANT, account_id: "acct-packed", interaction_type: "note",
  content: { text: "Ada (Vendor): I will send the pricing sheet by Friday.", format: "diarized" },
  timestamp: "2026-05-04T10:00:00Z", source: "api",
};
(async () => {
  const tenant = await client.tenantId();
  const precheck = envelopeV1Schema.safeParse({ ...envelope, timestamp: "yesterday" }).success;
  const accepted = await client.postEnvelope(envelope);
  const status = await client.envelopeStatus(accepted.interaction_id);
  const refusal = await client.postEnvelope({ ...envelope, interaction_type: "fax" }).catch((e) => e);
  const event = verifyWebhook(process.env.SECRET, JSON.parse(process.env.HEADERS), process.env.BODY);
  let forged = null;
  try { verifyWebhook(process.env.SECRET, JSON.parse(process.env.HEADERS), process.env.BODY + " "); } catch (e) { forged = e instanceof WebhookVerificationError; }
  console.log(JSON.stringify({
    tenant, precheck, accepted, states: Object.values(status.pipelines).map((p) => p.state),
    refusal: { typed: refusal instanceof DealgraphApiError, status: refusal.status, code: refusal.code, paths: refusal.issues.map((i) => i.path) },
    event: event.type, forged,
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

const typed = `import { DealgraphClient, type EnvelopeStatus, type EnvelopeV1 } from "@dealgraph/client";
const client = new DealgraphClient({ baseUrl: "http://127.0.0.1:1", apiKey: "dgk_x" });
export async function firstState(envelope: EnvelopeV1): Promise<string | undefined> {
  const accepted = await client.postEnvelope(envelope);
  const status: EnvelopeStatus | null = await client.envelopeStatus(accepted.interaction_id);
  return status?.pipelines.deals?.state;
}
// The envelope's type is the api's own schema, not \`any\`: a wrong field does not compile.
// @ts-expect-error interaction_type is one of the api's types
export const wrong: EnvelopeV1 = { schema_version: "v1", tenant_id: "t", interaction_type: "fax", content: { text: "", format: "plain" }, timestamp: "", source: "api" };
`;

beforeAll(async () => {
  await migratedPostgres(config);
  db = createDatabase({ url: config.postgres.url, applicationName: "client-package-test" });
  const connection = { url: config.redis.url };
  queues = ["action_items", "deals"].map((name) => new Queue(pipelineQueues(name).queue, { connection, prefix: config.redis.queuePrefix }));
  const port = await freePort();
  api = await startApp(
    "api",
    { API_PORT: String(port), QUEUE_PREFIX: config.redis.queuePrefix, SWEEPER_INTERVAL_MS: "3600000" },
    `http://127.0.0.1:${port}/healthz`,
  );

  producer = await mkdtemp(path.join(os.tmpdir(), "dealgraph-producer-"));
  await run("pnpm", ["pack", "--pack-destination", producer], { cwd: path.join(projectRoot, "packages/client") });
  const tarball = (await readdir(producer)).find((name) => name.endsWith(".tgz"));
  await writeFile(path.join(producer, "package.json"), JSON.stringify({ name: "producer", private: true }));
  await run("npm", ["install", `./${tarball}`, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: producer });
  await writeFile(
    path.join(producer, "producer.cjs"),
    script(`const { DealgraphApiError, DealgraphClient, WebhookVerificationError, envelopeV1Schema, verifyWebhook } = require("@dealgraph/client");`),
  );
  await writeFile(
    path.join(producer, "producer.mjs"),
    script(`import { DealgraphApiError, DealgraphClient, WebhookVerificationError, envelopeV1Schema, verifyWebhook } from "@dealgraph/client";`),
  );
  await writeFile(path.join(producer, "producer.ts"), typed);

  const secret = newWebhookSecret();
  const body = JSON.stringify({
    id: "msg_1",
    type: "envelope.processed",
    created_at: "2026-05-04T10:00:00.000Z",
    tenant_id: tenant,
    data: { pipeline: "deals", interaction_id: randomUUID(), account_id: "acct-packed", summary: { deals_created: 1 } },
  });
  env = {
    ...process.env,
    API_URL: `http://127.0.0.1:${port}`,
    API_KEY: (await new ApiKeys(db).create(tenant, "client package test")).key,
    TENANT: tenant,
    SECRET: secret,
    BODY: body,
    HEADERS: JSON.stringify(signWebhook(secret, "msg_1", body)),
  };
}, 240_000);

afterAll(async () => {
  await api?.stop();
  for (const queue of queues ?? []) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await deleteTenantData(config, [], [tenant]);
  await db?.destroy();
  if (producer) await rm(producer, { recursive: true, force: true });
});

it("installs as a bundle with zod its only dependency, no workspace package needed", async () => {
  const { stdout } = await run("npm", ["ls", "--all", "--parseable"], { cwd: producer });
  const installed = stdout
    .split("\n")
    .map((line) => path.relative(path.join(producer, "node_modules"), line))
    .filter((name) => name && !name.startsWith(".."));
  expect(installed.sort()).toEqual(["@dealgraph/client", "zod"]);
});

it.each(["producer.cjs", "producer.mjs"])("%s posts, follows and is refused through the packed client", async (file) => {
  const { stdout } = await run(process.execPath, [file], { cwd: producer, env });
  const result = JSON.parse(stdout);
  expect(result).toMatchObject({
    tenant,
    precheck: false,
    accepted: { duplicate: false },
    states: ["waiting", "waiting"],
    event: "envelope.processed",
    forged: true,
  });
  expect(result.refusal).toEqual({ typed: true, status: 400, code: "VALIDATION_FAILED", paths: ["interaction_type"] });
});

it("type-checks a producer's TypeScript against the bundled declarations", async () => {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      noEmit: true,
      types: ["node"],
      typeRoots: [path.join(projectRoot, "node_modules/@types")],
    },
    files: ["producer.ts"],
  };
  await writeFile(path.join(producer, "tsconfig.json"), JSON.stringify(tsconfig));
  const tsc = path.join(projectRoot, "node_modules/typescript/bin/tsc");
  await expect(run(process.execPath, [tsc, "-p", "."], { cwd: producer })).resolves.toBeDefined();
});
