import { randomUUID } from "node:crypto";
import type { Config } from "@dealgraph/config";
import { ApiKeys, createDatabase, withTenant } from "@dealgraph/store";
import { sql } from "kysely";
import { freePort } from "../support/free-port";
import { deleteTenantRows } from "../support/pipelines";
import { startApp } from "../support/processes";
import { percentile, row, type BenchRow } from "./report";

const ACCOUNT = "acct-bench";

/**
 * One account of `deals` deals (three versions and five signals each) and `items` action items
 * (20 owners, 50 topics), written straight into the projection: the deal room reads nothing else.
 */
async function seed(config: Config, tenantId: string, size: { deals: number; items: number }): Promise<string> {
  const owner = createDatabase({ url: config.postgres.ownerUrl, applicationName: "bench-deal-room" });
  try {
    return await withTenant(owner, tenantId, async (trx) => {
      const meta = `{"ai_stage": "proposal", "ai_amount": 120000, "ai_currency": "USD", "close_timeframe": "end of Q3", "valid_from": "2026-04-01T00:00:00Z", "qualification_quotes": {"economic_buyer": "I sign off on this."}}`;
      await sql`
        insert into opportunities (tenant_id, graph_opportunity_id, name, account_id, deal_ref, ai_workflow_metadata, meddic_economic_buyer,
                                   meddic_completeness, ontology_completeness, ontology_scores_json, source_interaction_id, extraction_version)
        select ${tenantId}::uuid, gen_random_uuid(), 'Deal ' || n, ${ACCOUNT}, 'deal_' || n, ${meta}::jsonb, 'Dana Whitfield',
               0.5, 0.4, '{"pricing_alignment": {"score": 2, "evidence": "It fits the budget."}}'::jsonb, gen_random_uuid(), 4
        from generate_series(1, ${size.deals}) as n`.execute(trx);
      await sql`
        insert into deal_versions (tenant_id, version_id, opportunity_id, version_number, name, stage, amount, snapshot, valid_from, valid_until, changed_fields, change_summary)
        select o.tenant_id, gen_random_uuid(), o.graph_opportunity_id, v, o.name, 'qualification', 100000 + v,
               jsonb_build_object('name', o.name, 'stage', 'qualification', 'amount', 100000 + v, 'meddic_completeness', 0.1 * v, 'ontology_completeness', 0.1 * v,
                                  'source_interaction_id', gen_random_uuid(), 'meddic_economic_buyer', 'Dana Whitfield'),
               timestamptz '2026-03-01' + (v * interval '7 days'), timestamptz '2026-03-08' + (v * interval '7 days'), array['stage'], 'Stage moved'
        from opportunities o cross join generate_series(1, 3) as v
        where o.tenant_id = ${tenantId}::uuid`.execute(trx);
      await sql`
        insert into owners (tenant_id, owner_id, name, normalized_name)
        select ${tenantId}::uuid, gen_random_uuid(), 'Owner ' || n, 'owner ' || n from generate_series(1, 20) as n`.execute(trx);
      await sql`
        insert into topics (tenant_id, topic_id, account_id, name, normalized_name)
        select ${tenantId}::uuid, gen_random_uuid(), ${ACCOUNT}, 'Topic ' || n, 'topic ' || n from generate_series(1, 50) as n`.execute(trx);
      await sql`
        insert into action_items (tenant_id, action_item_id, account_id, text, normalized_text, status, due_date, owner_id, topic_id, evidence_quote, source_interaction_id)
        select ${tenantId}::uuid, gen_random_uuid(), ${ACCOUNT}, 'Send the follow-up number ' || n, 'send the follow-up number ' || n,
               (array['open', 'in_progress', 'done'])[1 + n % 3], date '2026-05-01' + (n % 60),
               (select owner_id from owners where tenant_id = ${tenantId}::uuid order by name offset (n % 20) limit 1),
               (select topic_id from topics where tenant_id = ${tenantId}::uuid order by name offset (n % 50) limit 1),
               'I will send it over.', gen_random_uuid()
        from generate_series(1, ${size.items}) as n`.execute(trx);
      await sql`
        insert into risk_signals (tenant_id, signal_id, opportunity_id, account_id, code, status, severity, started_at, detail, evidence_quote, version_number, valid_from)
        select o.tenant_id, o.graph_opportunity_id || ':' || c, o.graph_opportunity_id::text, ${ACCOUNT}, c, 'active', 'medium',
               timestamptz '2026-04-01', 'A signal', 'a quote', 1, now()
        from opportunities o cross join unnest(array['no_champion', 'stalled', 'gone_quiet', 'competitor_active', 'overdue_seller_items']) as c
        where o.tenant_id = ${tenantId}::uuid`.execute(trx);
      const first = await sql<{ id: string }>`select graph_opportunity_id::text as id from opportunities where tenant_id = ${tenantId}::uuid limit 1`.execute(
        trx,
      );
      return first.rows[0]!.id;
    });
  } finally {
    await owner.destroy();
  }
}

async function timed(url: string, key: string, requests: number): Promise<{ p50: number; p95: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - started);
    bytes = body.length;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), bytes };
}

/**
 * Benchmark 7: the deal room on a large account (200 deals and 5,000 items in a full run): the
 * account page, a deal page and its as-of view, served by the app's own process, timed from the
 * client (p50 and p95 over `requests` sequential requests, after one warm-up).
 */
export async function dealRoomBench(config: Config, size: { deals: number; items: number; requests: number }): Promise<BenchRow[]> {
  const tenantId = randomUUID();
  const db = createDatabase({ url: config.postgres.url, applicationName: "bench-deal-room" });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  try {
    const dealId = await seed(config, tenantId, size);
    const { key } = await new ApiKeys(db).create(tenantId, "bench");
    app = await startApp("deal-room", { DEAL_ROOM_PORT: String(port), QUEUE_PREFIX: `bench-${tenantId}` }, `${base}/healthz`);
    const pages = { account: `${base}/accounts/${ACCOUNT}`, deal: `${base}/deals/${dealId}`, "deal as of": `${base}/deals/${dealId}?as_of=2026-03-20` };
    const rows: BenchRow[] = [];
    for (const [name, url] of Object.entries(pages)) {
      await timed(url, key, 1);
      const { p50, p95, bytes } = await timed(url, key, size.requests);
      const label = `deal room ${name} page, ${size.deals} deals and ${size.items.toLocaleString("en-US")} items (${Math.round(bytes / 1024)} KB)`;
      rows.push(row("7 deal room", `${label}, p50`, p50, "ms"));
      rows.push(
        row(
          "7 deal room",
          `${label}, p95`,
          p95,
          "ms",
          undefined,
          name === "account" ? { text: "< 500 ms", met: p95 < 500 } : { text: "< 100 ms", met: p95 < 100 },
        ),
      );
    }
    return rows;
  } finally {
    await app?.stop();
    await db.destroy();
    await deleteTenantRows(config, [tenantId]);
  }
}
