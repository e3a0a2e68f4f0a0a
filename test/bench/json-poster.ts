import http from "node:http";

/**
 * The benchmark's HTTP client: keep-alive sockets through `node:http`, one per request in
 * flight. `fetch` (undici behind web streams) spends about a millisecond of CPU per request,
 * which on a two-core machine is CPU taken from the api being measured; a producer sending at
 * volume would use a lean client too.
 */
export class JsonPoster {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(url: string, sockets: number) {
    this.url = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(body: unknown, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "content-length": String(payload.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              resolve({ status: response.statusCode ?? 0, body: text.length > 0 ? JSON.parse(text) : null });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Posts `envelopes` to the api in arrays of 100, two in flight at a time, as a producer backfilling would; any answer but 202 throws. */
export async function postInArrays(apiUrl: string, key: string, envelopes: readonly unknown[]): Promise<void> {
  const poster = new JsonPoster(`${apiUrl}/v1/envelopes`, 2);
  try {
    for (let i = 0; i < envelopes.length; i += 100) {
      const answer = await poster.post(envelopes.slice(i, i + 100), { authorization: `Bearer ${key}` });
      if (answer.status !== 202) throw new Error(`api answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  } finally {
    poster.close();
  }
}
