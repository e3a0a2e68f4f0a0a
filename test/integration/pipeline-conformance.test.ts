import { randomUUID } from "node:crypto";
import { exampleEnvelope, type AcceptedEnvelope } from "@dealgraph/contracts";
import { ValidationError } from "@dealgraph/errors";
import { closeGraphs, connectGraphs, type GraphClient } from "@dealgraph/graph";
import type { OpenedPipeline, PipelineModule } from "@dealgraph/pipeline-kit";
import { BUILT_IN_PIPELINES, PipelineRegistry } from "@dealgraph/pipelines";
import { Reconciler } from "@dealgraph/reconciliation";
import { createDatabase, migrateToLatest, type Database } from "@dealgraph/store";
import type { Kysely } from "kysely";
import { pricingCall } from "../support/fleet";
import { deleteTenantData, silentLogger, SuiteTenants } from "../support/pipelines";
import { migratedPostgres, testConfig } from "../support/services";
import { pipelineModule as wordCountModule } from "../support/word-count-pipeline/word-count-module";
import { deleteWordCountRows } from "../support/word-count-pipeline/word-count-rows";

/*
 * The same behaviours over every registered module (Kysely runs one suite over every dialect):
 * the built-ins and the test suite's third pipeline, each through the interface the fleet
 * knows (`open` → `process`), against the real services. The projection is checked against the
 * graph by the reconciler over the module's own projection kinds.
 */

jest.setTimeout(120_000);

const MODULES: readonly PipelineModule[] = [...BUILT_IN_PIPELINES, wordCountModule];
const registry = PipelineRegistry.of(MODULES);
const config = testConfig();
const suite = new SuiteTenants();
let db: Kysely<Database>;
let graphs: ReturnType<typeof connectGraphs>;
let reconciler: Reconciler;
const opened = new Map<string, OpenedPipeline>();

beforeAll(async () => {
  await migratedPostgres(config);
  await migrateToLatest({
    ownerUrl: config.postgres.ownerUrl,
    appUrl: config.postgres.url,
    embeddingDimension: config.embeddings.dimension,
    modules: registry.moduleMigrations(),
  });
  db = createDatabase({ url: config.postgres.url, applicationName: "conformance-test" });
  graphs = connectGraphs(config, silentLogger);
  reconciler = new Reconciler({ graphs, db, catalog: registry, logger: silentLogger });
  for (const module of MODULES) opened.set(module.name, await module.open(config, { db, logger: silentLogger }));
});

afterAll(async () => {
  await Promise.allSettled([...opened.values()].map((pipeline) => pipeline.close()));
  const owner = createDatabase({ url: config.postgres.ownerUrl, poolMax: 1, applicationName: "conformance-cleanup" });
  await deleteWordCountRows(owner, suite.ids);
  await owner.destroy();
  await deleteTenantData(config, Object.values(graphs) as GraphClient[], suite.ids);
  await closeGraphs(graphs);
  await db.destroy();
});

/** The module's kinds in the tenant: graph and Postgres counts, and how far apart they are. */
async function projectionOf(module: PipelineModule, tenantId: string) {
  const report = await reconciler.reconcileTenant(tenantId, { repair: false, record: false });
  const own = new Set(module.projectionKinds.map((k) => k.kind));
  const kinds = report.kinds.filter((k) => own.has(k.kind));
  return {
    counts: Object.fromEntries(kinds.map((k) => [k.kind, { graph: k.graph, postgres: k.postgres }])),
    drift: kinds.reduce((sum, k) => sum + k.missingCount + k.extraCount + k.staleCount, 0),
  };
}

const pipelineOf = (module: PipelineModule) => opened.get(module.name) as OpenedPipeline;
const envelopeFor = (tenantId: string, text = pricingCall(48_000)): AcceptedEnvelope =>
  exampleEnvelope({ tenant_id: tenantId, interaction_id: randomUUID(), content: { text, format: "diarized" }, timestamp: "2026-07-01T10:00:00Z" });

describe.each(MODULES.map((module) => [module.name, module] as const))("the %s pipeline", (_name, module) => {
  it("processes an envelope into a projection that equals its graph, and a replay changes neither", async () => {
    const tenantId = suite.next();
    const envelope = envelopeFor(tenantId);
    const first = await pipelineOf(module).process(envelope);
    expect(module.runSummarySchema.safeParse(first.summary).success).toBe(true);
    expect(first.summary.status).toBe("processed");
    const after = await projectionOf(module, tenantId);
    expect(after.drift).toBe(0);
    expect(Object.values(after.counts).some((c) => c.graph > 0)).toBe(true);

    const replay = await pipelineOf(module).process(envelope);
    expect(replay.summary.status).toBe("already_applied");
    expect(replay.llm.calls).toBe(0);
    expect(await projectionOf(module, tenantId)).toEqual(after);
  });

  it("keeps tenants apart: another tenant's run adds nothing to this tenant's graph or rows", async () => {
    const [mine, theirs] = [suite.next(), suite.next()];
    await pipelineOf(module).process(envelopeFor(mine));
    const before = await projectionOf(module, mine);
    await pipelineOf(module).process(envelopeFor(theirs));
    expect(await projectionOf(module, mine)).toEqual(before);
  });

  it("stamps a too-short transcript as skipped, with the projection still equal to the graph", async () => {
    const tenantId = suite.next();
    const run = await pipelineOf(module).process(envelopeFor(tenantId, "ok, thanks"));
    expect(run.summary).toMatchObject({ status: "skipped", errors: [] });
    expect(run.llm.calls).toBe(0);
    expect((await projectionOf(module, tenantId)).drift).toBe(0);
  });

  it("either takes an envelope aimed at an opportunity that does not exist, or refuses it naming opportunity_id and writes nothing", async () => {
    const tenantId = suite.next();
    const aimed = { ...envelopeFor(tenantId), opportunity_id: randomUUID() };
    try {
      expect((await pipelineOf(module).process(aimed)).summary.status).toBe("processed");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: "opportunity_id" })]);
      expect(Object.values((await projectionOf(module, tenantId)).counts).every((c) => c.graph === 0 && c.postgres === 0)).toBe(true);
    }
    expect((await projectionOf(module, tenantId)).drift).toBe(0);
  });
});
