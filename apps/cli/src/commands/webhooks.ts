import { WEBHOOK_EVENTS } from "@dealgraph/contracts";
import { NotFoundError } from "@dealgraph/errors";
import { Option, type Command } from "commander";
import { requireUuid } from "../arguments";
import type { CliContext } from "../cli-context";
import { tenantClient } from "../tenant-client";

/** Webhooks belong to a tenant, and the api is their one way in. */
const clientFor = (context: CliContext, key: string | undefined) => tenantClient(context.config(), key);

const keyOption = () => new Option("--key <key>", "the tenant's API key (default: the first of DEALGRAPH_API_KEY)");

export function registerWebhooks(program: Command, context: CliContext): void {
  const webhooks = program.command("webhooks").description("A tenant's webhook endpoints and the deliveries made to them (through the api)");
  webhooks
    .command("create")
    .description("Register an endpoint; prints its signing secret, which is shown only this once")
    .argument("<url>", "where deliveries are POSTed (https, unless WEBHOOK_ALLOW_HTTP=true on the api)")
    .addOption(new Option("--event <type...>", "the events to send (default: all)").choices([...WEBHOOK_EVENTS]))
    .option("--description <text>", "a note for operators")
    .addOption(keyOption())
    .option("--json", "print JSON")
    .action(async (url: string, options: { event?: string[]; description?: string; key?: string; json?: boolean }) => {
      const created = await clientFor(context, options.key).createWebhook({
        url,
        ...(options.event ? { events: options.event as (typeof WEBHOOK_EVENTS)[number][] } : {}),
        ...(options.description ? { description: options.description } : {}),
      });
      if (options.json) return console.log(JSON.stringify(created, null, 2));
      console.log(`endpoint ${created.id}  ${created.url}  (${created.events.join(", ")})`);
      console.log(`signing secret (shown once; keep it to verify deliveries): ${created.secret}`);
    });
  webhooks
    .command("list")
    .description("The tenant's endpoints (never their secrets)")
    .addOption(keyOption())
    .option("--json", "print JSON")
    .action(async (options: { key?: string; json?: boolean }) => {
      const endpoints = await clientFor(context, options.key).listWebhooks();
      if (options.json) return console.log(JSON.stringify(endpoints, null, 2));
      if (endpoints.length === 0) return console.log("no webhook endpoints");
      for (const e of endpoints) console.log(`${e.id}  ${e.url}  ${e.events.join(",")}  ${e.created_at}${e.description ? `  ${e.description}` : ""}`);
    });
  webhooks
    .command("delete")
    .description("Delete an endpoint; its pending deliveries are cancelled")
    .argument("<endpoint-id>", "the endpoint's id (webhooks list)")
    .addOption(keyOption())
    .action(async (endpointId: string, options: { key?: string }) => {
      requireUuid(endpointId, "the endpoint id", "endpoint-id");
      if (!(await clientFor(context, options.key).deleteWebhook(endpointId)))
        throw new NotFoundError(`no webhook endpoint ${endpointId} for this key's tenant`);
      console.log(`deleted ${endpointId}`);
    });
  webhooks
    .command("deliveries")
    .description("The latest deliveries, newest first: event, pipeline, status, attempts and the receiver's last answer")
    .option("--endpoint <id>", "only this endpoint's")
    .option("--limit <n>", "how many (1 to 1000)", "50")
    .addOption(keyOption())
    .option("--json", "print JSON")
    .action(async (options: { endpoint?: string; limit: string; key?: string; json?: boolean }) => {
      if (options.endpoint) requireUuid(options.endpoint, "--endpoint", "endpoint");
      const deliveries = await clientFor(context, options.key).webhookDeliveries({
        ...(options.endpoint ? { endpointId: options.endpoint } : {}),
        limit: Number(options.limit),
      });
      if (options.json) return console.log(JSON.stringify(deliveries, null, 2));
      if (deliveries.length === 0) return console.log("no deliveries");
      for (const d of deliveries) {
        const answer = d.last_status_code === null ? (d.last_error ?? "") : `HTTP ${d.last_status_code}`;
        console.log(
          `${d.created_at}  ${d.event_type.padEnd(22)} ${(d.pipeline ?? "").padEnd(12)} ${d.status.padEnd(9)} ${d.attempts} attempt(s)  ${answer}  ${d.id}`,
        );
      }
    });
}
