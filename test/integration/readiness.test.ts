import net from "node:net";
import { randomUUID } from "node:crypto";
import { freePort } from "../support/free-port";
import { startApp, type RunningApp } from "../support/processes";

/*
 * /readyz when a dependency is frozen: a Postgres that accepts connections and never answers
 * (a hung server, a black-holed network) must make the probe say so within seconds, naming it,
 * instead of hanging the orchestrator's probe.
 */

let frozen: net.Server;
const sockets: net.Socket[] = [];
let api: RunningApp;

beforeAll(async () => {
  frozen = net.createServer((socket) => sockets.push(socket));
  const frozenPort = await freePort();
  await new Promise<void>((resolve) => frozen.listen(frozenPort, "127.0.0.1", resolve));
  const port = await freePort();
  api = await startApp(
    "api",
    {
      API_PORT: String(port),
      QUEUE_PREFIX: `{dealgraph-test-${randomUUID().slice(0, 8)}}`,
      SWEEPER_INTERVAL_MS: "3600000",
      DATABASE_URL: `postgres://dealgraph_app:dealgraph_app@127.0.0.1:${frozenPort}/dealgraph`,
    },
    `http://127.0.0.1:${port}/healthz`,
  );
}, 60_000);

afterAll(async () => {
  await api.stop(5_000);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => frozen.close(resolve));
});

it("answers 503 naming the frozen dependency within seconds", async () => {
  const started = Date.now();
  const response = await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(response.status).toBe(503);
  expect(await response.json()).toEqual({ status: "not ready", failing: ["postgres"] });
  // The process itself is alive.
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
});
