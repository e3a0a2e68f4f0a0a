import http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * The enqueue benchmark's floor for one envelope per post: a bare node:http server that reads
 * the JSON body and answers 202, with no auth, validation, storage or queue. What the api does
 * per post costs on top of this; what this costs is the HTTP hop itself on the machine at hand.
 * Prints the port it listens on.
 */
const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const envelope = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { interaction_id?: string };
    const body = JSON.stringify({ interaction_id: envelope.interaction_id ?? null });
    response.writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
