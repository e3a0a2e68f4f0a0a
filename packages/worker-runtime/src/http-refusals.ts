import type { Duplex } from "node:stream";

/**
 * The refusals that happen before an app's own handlers run, in the fleet's one error shape
 * `{ error: { code, message } }`: no framework default (which would name the path or the
 * framework) and nothing HTTP-level answers in any other shape.
 */

const NODE_REFUSALS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: "Request Header Fields Too Large", code: "BAD_REQUEST", message: "The request line and headers are too large" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: "Request Timeout", code: "REQUEST_TIMEOUT", message: "The request took too long to arrive" },
};
const NOT_HTTP = { status: 400, reason: "Bad Request", code: "BAD_REQUEST", message: "The request is not valid HTTP" };

/** For Fastify's `clientErrorHandler`: Node found the bytes on a socket are not a request it can read. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const refusal = (error.code ? NODE_REFUSALS[error.code] : undefined) ?? NOT_HTTP;
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** For Fastify's `frameworkErrors`: the router refused the URL (undecodable, or a parameter over its length) before any route ran. */
export function routingRefusal(error: Error & { code?: string }): { status: number; body: { error: { code: string; message: string } } } {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    return { status: 414, body: { error: { code: "URI_TOO_LONG", message: "A part of the URL is longer than any route accepts" } } };
  }
  return { status: 400, body: { error: { code: "BAD_URL", message: "The URL is not valid" } } };
}
