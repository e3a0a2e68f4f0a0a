import { DealgraphClient } from "@dealgraph/client";
import type { Config } from "@dealgraph/config";
import type { Accepted, AcceptedEnvelope, EnvelopeStatus } from "@dealgraph/contracts";
import { ValidationError } from "@dealgraph/errors";
import { pipelines } from "@dealgraph/pipelines";
import { EnvelopeIntake, EnvelopeProducer, bullConnection, closeBullConnection, closeQuietly, openPipelineQueues } from "@dealgraph/queues";
import { InboxRepository, createDatabase } from "@dealgraph/store";

/** Where the CLI sends envelopes and asks about them: the api (as a producer would), or straight to the inbox and queues. */
export interface FleetGateway {
  readonly via: "api" | "direct";
  accept(envelope: AcceptedEnvelope): Promise<Accepted>;
  status(tenantId: string, interactionId: string): Promise<EnvelopeStatus | null>;
  close(): Promise<void>;
}

/** Through the api, with one key per tenant: each key's tenant is asked of the api once. */
export async function apiGateway(config: Config, keys: string[]): Promise<FleetGateway> {
  if (keys.length === 0) {
    throw new ValidationError("no API key: pass --key (or set DEALGRAPH_API_KEY), or use --direct", [{ path: "key", message: "Required without --direct" }]);
  }
  const clientOf = new Map<string, DealgraphClient>();
  for (const apiKey of keys) {
    const client = new DealgraphClient({ baseUrl: config.cli.apiUrl, apiKey });
    clientOf.set(await client.tenantId(), client);
  }
  const clientFor = (tenantId: string) => {
    const client = clientOf.get(tenantId);
    if (!client) throw new ValidationError(`no API key for tenant ${tenantId}`, [{ path: "tenant_id", message: "No key given for this tenant" }]);
    return client;
  };
  return {
    via: "api",
    accept: (envelope) => clientFor(envelope.tenant_id).postEnvelope(envelope),
    status: (tenantId, interactionId) => clientFor(tenantId).envelopeStatus(interactionId),
    close: async () => undefined,
  };
}

/** Straight into the inbox and onto the queues, with the operator's own database and Redis credentials. */
export function directGateway(config: Config): FleetGateway {
  const db = createDatabase({ url: config.postgres.url, poolMax: 4, applicationName: "dealgraph-cli" });
  const connection = bullConnection(config.redis, "dealgraph-cli");
  const queues = openPipelineQueues(pipelines.names, "queue", { connection, prefix: config.redis.queuePrefix });
  const producer = new EnvelopeProducer(connection, config);
  const intake = new EnvelopeIntake({
    inbox: new InboxRepository(db),
    producer,
    pipelines: pipelines.modules,
    queues,
    writesInFlight: config.api.intakeWritesInFlight,
  });
  return {
    via: "direct",
    accept: (envelope) => intake.accept(envelope),
    status: (tenantId, interactionId) => intake.status(tenantId, interactionId),
    close: async () => {
      await Promise.allSettled([producer.close(), ...Object.values(queues).map((queue) => closeQuietly(queue)), db.destroy()]);
      await closeBullConnection(connection);
    },
  };
}
