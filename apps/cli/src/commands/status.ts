import { NotFoundError, ValidationError } from "@dealgraph/errors";
import type { Command } from "commander";
import { requireUuid } from "../arguments";
import type { CliContext } from "../cli-context";
import { formatEnvelopeOutcome } from "../envelope-report";
import { directGateway } from "../fleet-gateway";
import { tenantClient } from "../tenant-client";

export function registerStatus(program: Command, context: CliContext): void {
  program
    .command("status")
    .description("Each pipeline's state for one interaction: waiting, active, completed (with its summary), failed, dead-lettered")
    .argument("<interaction-id>", "the interaction id the api answered with")
    .option("--key <key>", "the tenant's API key (default: the first of DEALGRAPH_API_KEY)")
    .option("--direct", "read the inbox and queues directly instead of asking the api (needs --tenant)")
    .option("--tenant <uuid>", "the tenant, with --direct")
    .option("--json", "print JSON")
    .action(async (interactionId: string, options: { key?: string; direct?: boolean; tenant?: string; json?: boolean }) => {
      requireUuid(interactionId, "the interaction id", "interaction-id");
      const config = context.config();
      let status;
      if (options.direct) {
        if (!options.tenant) throw new ValidationError("--direct needs --tenant <uuid>", [{ path: "tenant", message: "Must be a UUID" }]);
        requireUuid(options.tenant, "--tenant", "tenant");
        const gateway = directGateway(config);
        try {
          status = await gateway.status(options.tenant, interactionId);
        } finally {
          await gateway.close();
        }
        if (!status) throw new NotFoundError(`no interaction ${interactionId} for tenant ${options.tenant}`);
      } else {
        status = await tenantClient(config, options.key, "--direct --tenant").envelopeStatus(interactionId);
        if (!status) throw new NotFoundError(`no interaction ${interactionId} for this key's tenant`);
      }
      if (options.json) return console.log(JSON.stringify(status, null, 2));
      console.log(
        formatEnvelopeOutcome({
          file: `account ${status.account_id ?? "(none)"}, occurred ${status.occurred_at}`,
          tenant_id: null,
          interaction_id: status.interaction_id,
          accepted: null,
          status,
          error: null,
        }),
      );
    });
}
