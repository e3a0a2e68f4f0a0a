import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent } from "undici";

/*
 * Endpoint URLs come from tenants, and the workers that POST to them sit inside the deployment's
 * network: without a guard, a tenant could register http://169.254.169.254/ (a cloud's metadata
 * service) or an internal admin port and have the fleet call it. Private, loopback, link-local
 * and other non-public ranges are refused at registration (an address in the URL) and at every
 * connection (whatever a name resolves to then, so re-pointing DNS after registering gains
 * nothing). WEBHOOK_ALLOW_PRIVATE_NETWORKS=true lifts it for a deployment whose receivers are internal.
 */

const nonPublic = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const) {
  nonPublic.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  nonPublic.addSubnet(network, prefix, "ipv6");
}

/** True for an address no public receiver has. IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 it maps. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return nonPublic.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return false;
  return nonPublic.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Why an endpoint URL's host is refused before any lookup, or null: an address literal in a non-public range, or a name for this host. */
export function refusedHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return `${host} is this host`;
  if (isIP(host) !== 0 && isNonPublicAddress(host)) return `${host} is not a public address`;
  return null;
}

export class NonPublicAddressError extends Error {
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, which is not a public address (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`);
    this.name = "NonPublicAddressError";
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses every answer in a non-public range; the connection is made to the address checked. */
function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isNonPublicAddress(entry.address));
    if (refused) return callback(new NonPublicAddressError(hostname, refused.address), []);
    const all = (options as { all?: boolean }).all === true;
    if (all) return callback(null, addresses);
    const [first] = addresses;
    return first ? callback(null, first.address, first.family) : callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
  });
}

/** The HTTP agent deliveries go through: connections only to public addresses unless private networks are allowed. */
export function deliveryAgent(options: { allowPrivateNetworks: boolean }): Agent {
  return new Agent(options.allowPrivateNetworks ? {} : { connect: { lookup: publicOnlyLookup as never } });
}
