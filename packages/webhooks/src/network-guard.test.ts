import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fetch } from "undici";
import { NonPublicAddressError, deliveryAgent, isNonPublicAddress, refusedHost } from "./network-guard";

it.each(["127.0.0.1", "10.1.2.3", "172.20.0.5", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"])(
  "%s is not public",
  (address) => expect(isNonPublicAddress(address)).toBe(true),
);

it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:93.184.216.34"])("%s is public", (address) =>
  expect(isNonPublicAddress(address)).toBe(false),
);

it("refuses an endpoint addressed to this host or a private address, and leaves names to the connection's check", () => {
  expect(refusedHost(new URL("https://localhost:8443/hooks"))).toMatch(/this host/);
  expect(refusedHost(new URL("https://169.254.169.254/latest/meta-data"))).toMatch(/not a public address/);
  expect(refusedHost(new URL("https://[::1]/hooks"))).toMatch(/not a public address/);
  expect(refusedHost(new URL("https://crm.example.com/hooks"))).toBeNull();
  expect(refusedHost(new URL("https://93.184.216.34/hooks"))).toBeNull();
});

it("connects to a name only when it resolves to a public address", async () => {
  const server = createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
  const guarded = deliveryAgent({ allowPrivateNetworks: false });
  const open = deliveryAgent({ allowPrivateNetworks: true });
  try {
    const refused = (await fetch(url, { dispatcher: guarded }).catch((e: unknown) => e)) as Error & { cause?: Error };
    expect(refused.cause).toBeInstanceOf(NonPublicAddressError);
    expect(refused.cause?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    expect(await (await fetch(url, { dispatcher: open })).text()).toBe("ok");
  } finally {
    server.close();
    await Promise.all([guarded.close(), open.close()]);
  }
});
