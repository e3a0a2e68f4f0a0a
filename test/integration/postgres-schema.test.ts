import { randomUUID } from "node:crypto";
import type { Config } from "@dealgraph/config";
import { CRM_OWNED_COLUMNS, InboxRepository, TENANT_TABLES, createDatabase, migrateTo, migrateToLatest, withTenant, type Database } from "@dealgraph/store";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { freshTenantId, migratedPostgres, testConfig, withDatabase } from "../support/services";

let config: Config;
let app: Kysely<Database>;
let owner: Kysely<Database>;

beforeAll(async () => {
  config = testConfig();
  await migratedPostgres(config);
  app = createDatabase({ url: config.postgres.url, poolMax: 4 });
  owner = createDatabase({ url: config.postgres.ownerUrl, poolMax: 2 });
});

afterAll(async () => {
  await app.destroy();
  await owner.destroy();
});

describe("migrations", () => {
  const scratch = `dealgraph_migrate_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const runsScratch = `dealgraph_runs_${randomUUID().replace(/-/g, "").slice(0, 12)}`;

  afterAll(async () => {
    await sql`drop database if exists ${sql.id(runsScratch)} with (force)`.execute(owner);
  });

  it("moves each pipeline's status and result out of the inbox's columns into rows of their own, and back on the way down", async () => {
    await sql`create database ${sql.id(runsScratch)}`.execute(owner);
    const options = {
      ownerUrl: withDatabase(config.postgres.ownerUrl, runsScratch),
      appUrl: withDatabase(config.postgres.url, runsScratch),
      embeddingDimension: 8,
    };
    await migrateTo(options, "0005-api-key-lifecycle");
    const db = createDatabase({ url: options.ownerUrl, poolMax: 1 });
    const tenant = freshTenantId();
    const [done, skipped] = [randomUUID(), randomUUID()];
    try {
      await withTenant(db, tenant, async (trx) => {
        await sql`
          insert into inbox (tenant_id, interaction_id, account_id, occurred_at, envelope, action_items_status, deals_status, action_items_result, deals_result)
          values (${tenant}, ${done}, 'acct-1', now(), '{}', 'done', 'dead', '{"status": "processed"}', '{"error": "boom"}'),
                 (${tenant}, ${skipped}, null, now(), '{}', 'queued', 'skipped', null, null)`.execute(trx);
      });
      expect((await migrateTo(options, "0006-inbox-pipeline-runs")).applied).toEqual(["0006-inbox-pipeline-runs"]);
      const runs = await withTenant(db, tenant, (trx) =>
        trx
          .selectFrom("inbox_pipeline_runs")
          .select(["interaction_id", "pipeline", "status", "result"])
          .orderBy("interaction_id")
          .orderBy("pipeline")
          .execute(),
      );
      expect(runs).toEqual(
        [
          { interaction_id: done, pipeline: "action_items", status: "done", result: { status: "processed" } },
          { interaction_id: done, pipeline: "deals", status: "dead", result: { error: "boom" } },
          { interaction_id: skipped, pipeline: "action_items", status: "queued", result: null },
          { interaction_id: skipped, pipeline: "deals", status: "skipped", result: { reason: "the envelope has no account_id" } },
        ].sort((a, b) => a.interaction_id.localeCompare(b.interaction_id) || a.pipeline.localeCompare(b.pipeline)),
      );
      const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'inbox'`.execute(db);
      expect(columns.rows.map((c) => c.column_name).filter((c) => /status|result/.test(c))).toEqual([]);

      await migrateTo(options, "0005-api-key-lifecycle");
      const back = await withTenant(
        db,
        tenant,
        async (trx) =>
          (
            await sql<{ interaction_id: string; action_items_status: string; deals_status: string; deals_result: unknown }>`
          select interaction_id, action_items_status, deals_status, deals_result from inbox where interaction_id = ${done}`.execute(trx)
          ).rows,
      );
      expect(back).toEqual([{ interaction_id: done, action_items_status: "done", deals_status: "dead", deals_result: { error: "boom" } }]);
    } finally {
      await db.destroy();
    }
  });

  afterAll(async () => {
    await sql`drop database if exists ${sql.id(scratch)} with (force)`.execute(owner);
  });

  it("run up from an empty database, and again (and concurrently) without applying anything twice", async () => {
    await sql`create database ${sql.id(scratch)}`.execute(owner);
    const options = {
      ownerUrl: withDatabase(config.postgres.ownerUrl, scratch),
      appUrl: withDatabase(config.postgres.url, scratch),
      embeddingDimension: 8,
    };

    const first = await migrateToLatest(options);
    expect(first.applied).toEqual([
      "0001-projection-schema",
      "0002-inbox-and-api-keys",
      "0003-reconciliation",
      "0004-inbox-content-hash",
      "0005-api-key-lifecycle",
      "0006-inbox-pipeline-runs",
      "0007-webhooks",
      "0008-graph-revisions",
      "0009-inbox-for-work",
      "0010-risk-signals",
    ]);

    const again = await Promise.all([migrateToLatest(options), migrateToLatest(options)]);
    expect(again.map((r) => r.applied)).toEqual([[], []]);
    expect(again.map((r) => r.total)).toEqual([first.total, first.total]);

    const db = createDatabase({ url: options.ownerUrl, poolMax: 1 });
    try {
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' and table_name = any(${[...TENANT_TABLES]})`.execute(db);
      expect(tables.rows.map((r) => r.table_name).sort()).toEqual([...TENANT_TABLES].sort());

      // This server has no pgvector, so embeddings fall back to real[] (vector(n) is chosen
      // where the extension is installed; see embedding-column.ts).
      const embedding = await sql<{ data_type: string; udt_name: string }>`
        select data_type, udt_name from information_schema.columns
        where table_name = 'opportunities' and column_name = 'extraction_embedding'`.execute(db);
      const hasVector = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'vector'`.execute(db);
      expect(embedding.rows[0]?.udt_name).toBe(hasVector.rows[0]?.n ? "vector" : "_float4");
    } finally {
      await db.destroy();
    }
  });
});

describe("row-level security", () => {
  const tenantA = freshTenantId();
  const tenantB = freshTenantId();

  const insertOwner = (tenantId: string, name: string) =>
    withTenant(app, tenantId, (trx) =>
      trx.insertInto("owners").values({ tenant_id: tenantId, owner_id: randomUUID(), name, normalized_name: name.toLowerCase() }).execute(),
    );

  beforeAll(async () => {
    await insertOwner(tenantA, "Dana Whitfield");
    await insertOwner(tenantB, "Dana Whitfield");
    await insertOwner(tenantB, "Raj Patel");
  });

  it("shows a tenant's transaction only that tenant's rows", async () => {
    const seenByA = await withTenant(app, tenantA, (trx) =>
      trx.selectFrom("owners").select(["tenant_id", "name"]).where("tenant_id", "in", [tenantA, tenantB]).execute(),
    );
    expect(seenByA).toEqual([{ tenant_id: tenantA, name: "Dana Whitfield" }]);

    const seenByB = await withTenant(app, tenantB, (trx) => trx.selectFrom("owners").select("name").orderBy("name").execute());
    expect(seenByB.map((r) => r.name)).toEqual(["Dana Whitfield", "Raj Patel"]);
  });

  it("shows nothing when no tenant is set", async () => {
    const rows = await app.selectFrom("owners").selectAll().execute();
    expect(rows).toEqual([]);
  });

  it("refuses to write a row for another tenant from a tenant's transaction", async () => {
    await expect(
      withTenant(app, tenantA, (trx) =>
        trx.insertInto("owners").values({ tenant_id: tenantB, owner_id: randomUUID(), name: "Mallory", normalized_name: "mallory" }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await withTenant(app, tenantA, (trx) =>
      trx.updateTable("owners").set({ name: "hijacked" }).where("tenant_id", "=", tenantB).executeTakeFirst(),
    );
    expect(updated.numUpdatedRows).toBe(0n);
  });

  it("is not scoped beyond the transaction on a pooled connection", async () => {
    const single = createDatabase({ url: config.postgres.url, poolMax: 1 });
    try {
      await withTenant(single, tenantA, (trx) => trx.selectFrom("owners").selectAll().execute());
      expect(await single.selectFrom("owners").selectAll().execute()).toEqual([]);
    } finally {
      await single.destroy();
    }
  });

  it("scopes the worker's one-round-trip turn check to its tenant, for that statement only", async () => {
    const single = createDatabase({ url: config.postgres.url, poolMax: 1 });
    try {
      const interactionId = randomUUID();
      await new InboxRepository(single).accept({
        tenantId: tenantB,
        interactionId,
        accountId: "acct-rls",
        occurredAt: new Date().toISOString(),
        envelope: { note: "turn check" },
        contentHash: "h",
        runs: [{ pipeline: "deals", skippedBecause: null }],
      });
      const inbox = new InboxRepository(single);
      expect(await inbox.getForWork(tenantB, interactionId, "deals")).toMatchObject({
        row: { tenant_id: tenantB, interaction_id: interactionId, runs: { deals: { status: "queued", result: null } } },
        earlierQueued: 0,
      });
      expect(await inbox.getForWork(tenantA, interactionId, "deals")).toBeUndefined();
      // The same pooled connection afterwards: no tenant is set, so no tenant's rows show.
      expect(await single.selectFrom("owners").selectAll().execute()).toEqual([]);
      await expect(inbox.getForWork("not-a-tenant", interactionId, "deals")).rejects.toThrow(/tenant id must be a UUID/);
    } finally {
      await single.destroy();
    }
  });

  it("cannot be switched off by the application role", async () => {
    const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      select rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(app);
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);

    for (const table of TENANT_TABLES) {
      await expect(sql`alter table ${sql.id(table)} disable row level security`.execute(app)).rejects.toThrow(/must be owner/);
      await expect(sql`alter table ${sql.id(table)} no force row level security`.execute(app)).rejects.toThrow(/must be owner/);
    }
    await expect(sql`drop policy tenant_isolation on owners`.execute(app)).rejects.toThrow(/must be owner/);

    await expect(
      app.transaction().execute(async (trx) => {
        await sql`set local row_security = off`.execute(trx);
        return trx.selectFrom("owners").selectAll().execute();
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it("binds the schema owner too (FORCE), so no connection reads across tenants by accident", async () => {
    expect(await owner.selectFrom("owners").selectAll().execute()).toEqual([]);
  });
});

describe("the forecast trigger on CRM-owned columns", () => {
  const tenantId = freshTenantId();
  let listener: pg.Client;
  const notifications: Array<{ tenant_id: string; id: string }> = [];

  beforeAll(async () => {
    listener = new pg.Client({ connectionString: config.postgres.url });
    await listener.connect();
    listener.on("notification", (message) => {
      if (message.channel === "opportunity_forecast_inputs" && message.payload) {
        notifications.push(JSON.parse(message.payload) as { tenant_id: string; id: string });
      }
    });
    await listener.query("LISTEN opportunity_forecast_inputs");
  });

  afterAll(async () => {
    await listener.end();
  });

  const mine = () => notifications.filter((n) => n.tenant_id === tenantId);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it("stays silent for updates of AI columns and fires for an update of stage", async () => {
    const graphId = "01936f3c-9a1e-7b2d-8c4f-0123456789ab";
    const row = await withTenant(app, tenantId, (trx) =>
      trx
        .insertInto("opportunities")
        .values({
          tenant_id: tenantId,
          graph_opportunity_id: graphId,
          deal_ref: "deal_8c4f0123456789ab",
          name: "Fleet telemetry platform",
          account_id: "acct-1",
          currency: "USD",
          latest_ai_summary: "first",
        })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    await withTenant(app, tenantId, (trx) =>
      trx
        .updateTable("opportunities")
        .set({ latest_ai_summary: "second", meddic_champion: "Tom Becker", meddic_champion_confidence: 0.8, dim_champion_strength: 2 })
        .where("graph_opportunity_id", "=", graphId)
        .execute(),
    );
    await settle();
    expect(mine()).toEqual([]);

    // The CRM (here the schema owner stands in for it) moves the stage.
    await withTenant(owner, tenantId, (trx) => trx.updateTable("opportunities").set({ stage: "proposal" }).where("id", "=", row.id).execute());
    await settle();
    expect(mine()).toEqual([{ tenant_id: tenantId, id: row.id }]);
  });

  it.each(CRM_OWNED_COLUMNS)("refuses the application role any write to %s", async (column) => {
    await expect(
      withTenant(app, tenantId, (trx) => sql`update opportunities set ${sql.id(column)} = null where tenant_id = ${tenantId}`.execute(trx)),
    ).rejects.toThrow(/permission denied/);
  });

  it("refuses the application role a rewrite of name, account or currency", async () => {
    for (const column of ["name", "account_id", "currency"]) {
      await expect(
        withTenant(app, tenantId, (trx) => sql`update opportunities set ${sql.id(column)} = 'x' where tenant_id = ${tenantId}`.execute(trx)),
      ).rejects.toThrow(/permission denied/);
    }
  });
});

describe("graph revisions", () => {
  const tenantId = freshTenantId();
  const itemId = "01936f3c-9a1e-7b2d-8c4f-00000000aa01";
  const revision = () =>
    withTenant(app, tenantId, async (trx) => {
      const row = await trx.selectFrom("action_items").select("graph_revision").where("action_item_id", "=", itemId).executeTakeFirstOrThrow();
      return row.graph_revision === null ? null : Number(row.graph_revision);
    });
  const update = (values: { text?: string; status?: "done"; confidence?: number; graph_revision?: number }) =>
    withTenant(app, tenantId, (trx) => trx.updateTable("action_items").set(values).where("action_item_id", "=", itemId).execute());

  beforeAll(async () => {
    await withTenant(app, tenantId, (trx) =>
      trx
        .insertInto("action_items")
        .values({ tenant_id: tenantId, action_item_id: itemId, text: "Send the quote", normalized_text: "send the quote", status: "open", graph_revision: 41 })
        .execute(),
    );
  });

  it("keep a row's revision through a projection's write (new revision) and a change to a column the reconciler does not compare", async () => {
    await update({ text: "Send the signed quote", graph_revision: 42 });
    expect(await revision()).toBe(42);
    await update({ confidence: 0.5 });
    expect(await revision()).toBe(42);
  });

  it("forget it when a compared column changes without a new revision, so the reconciler reads the row", async () => {
    await update({ status: "done" });
    expect(await revision()).toBeNull();
  });
});

describe("connection pool", () => {
  it("survives the server dropping a connection held inside a transaction (the process does not die)", async () => {
    const db = createDatabase({ url: config.postgres.url, poolMax: 1 });
    try {
      const held = db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(app);
        // The termination arrives while the transaction holds the connection between queries.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      });
      await expect(held).rejects.toThrow();
      const again = await sql<{ ok: number }>`select 1 as ok`.execute(db);
      expect(again.rows[0]?.ok).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it("survives the server dropping an idle connection and reconnects on the next query", async () => {
    const dropped: Error[] = [];
    const db = createDatabase({ url: config.postgres.url, poolMax: 1, onIdleConnectionError: (e) => dropped.push(e) });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      // A role may signal its own backends; this is what a restart or failover looks like to the pool.
      await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(app);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(dropped.map((e) => (e as Error & { code?: string }).code)).toEqual(["57P01"]);
      const again = await sql<{ ok: number }>`select 1 as ok`.execute(db);
      expect(again.rows[0]?.ok).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});
