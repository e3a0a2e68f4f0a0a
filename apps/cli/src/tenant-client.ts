import { DealgraphClient } from "@dealgraph/client";
import type { Config } from "@dealgraph/config";
import { ValidationError } from "@dealgraph/errors";

/**
 * The api client for one tenant's key: `--key`, else the first of DEALGRAPH_API_KEY. `orElse`
 * names the way round the api a command offers (`--direct --tenant`), if it has one.
 */
export function tenantClient(config: Pick<Config, "cli">, key: string | undefined, orElse?: string): DealgraphClient {
  const apiKey = key ?? config.cli.apiKeys[0];
  if (!apiKey) {
    throw new ValidationError(`no API key: pass --key (or set DEALGRAPH_API_KEY)${orElse ? `, or use ${orElse}` : ""}`, [
      { path: "key", message: orElse ? `Required without ${orElse.split(" ")[0]}` : "Required" },
    ]);
  }
  return new DealgraphClient({ baseUrl: config.cli.apiUrl, apiKey });
}
