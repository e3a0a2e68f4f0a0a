import { execFileSync } from "node:child_process";
import type { Config } from "@dealgraph/config";
import { createLogger } from "@dealgraph/logging";
import type { EnvelopeIntake } from "@dealgraph/queues";
import type { ApiKeys } from "@dealgraph/store";
import type { WebhookEndpoints } from "@dealgraph/webhooks";
import { Redis } from "ioredis";
import { buildApi, servedRoutes } from "./build-api";
import { API_ROUTES, openApiDocument } from "./openapi-document";

/*
 * The description must be valid OpenAPI 3.1 and say exactly what the api serves: a route added
 * to the api without a description (or described but gone) fails here, in CI.
 */

const document = openApiDocument("0.0.0-test");

/**
 * The validator is an ES module and jest runs these tests as CommonJS on Node 20, so it runs in
 * a node of its own, reading the document on stdin.
 */
function validateOpenApi(doc: object): { valid: boolean; errors?: unknown } {
  const script = `
    import { Validator } from "@seriousme/openapi-schema-validator";
    let input = "";
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors ?? null }));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { input: JSON.stringify(doc), cwd: __dirname });
  return JSON.parse(output.toString()) as { valid: boolean; errors?: unknown };
}

describe("the api's OpenAPI document", () => {
  it("is valid OpenAPI 3.1", () => {
    const result = validateOpenApi(document);
    expect(result.errors).toBeNull();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("the validator refuses what is not OpenAPI 3.1", () => {
    expect(validateOpenApi({ ...document, paths: { "/x": { get: { responses: "none" } } } }).valid).toBe(false);
  });

  it("describes every route the api serves, and no other", async () => {
    const config = {
      api: {
        host: "127.0.0.1",
        port: 0,
        bodyLimitBytes: 1024,
        keyCacheTtlMs: 0,
        intakeWritesInFlight: 1,
        requestTimeoutMs: 1000,
        rateLimits: { badKeysPerMinute: 1, requestsPerKeyPerMinute: 1 },
      },
      redis: { url: "redis://127.0.0.1:1", queuePrefix: "{test}" },
    } as Pick<Config, "api" | "redis">;
    // Nothing is called: the routes are only registered.
    const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
    const app = await buildApi({
      version: "0.0.0-test",
      config,
      redis,
      logger: createLogger({ name: "test", level: "silent" }),
      apiKeys: {} as ApiKeys,
      intake: {} as EnvelopeIntake,
      webhooks: {} as WebhookEndpoints,
      checks: {},
    });
    await app.ready();
    const served = servedRoutes(app)
      .filter((route) => route.method !== "head" && !route.url.startsWith("/docs"))
      .map((route) => `${route.method} ${route.url}`);
    await app.close();
    redis.disconnect();
    expect([...new Set(served)].sort()).toEqual(API_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it("gives every authenticated operation its error responses in the one error shape", () => {
    const paths = document.paths as Record<
      string,
      Record<string, { security?: unknown; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
    >;
    const operations = Object.values(paths).flatMap((item) => Object.values(item));
    const authenticated = operations.filter((operation) => operation.security);
    expect(authenticated.length).toBeGreaterThanOrEqual(3);
    for (const operation of authenticated) {
      for (const status of ["401", "429", "500"]) {
        expect(operation.responses[status]?.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Error" });
      }
    }
  });

  it("describes the envelope from the schema the api validates with", () => {
    const envelope = (document.components as { schemas: Record<string, { required: string[]; properties: Record<string, unknown> }> }).schemas.EnvelopeV1!;
    expect(envelope.required).toEqual(expect.arrayContaining(["schema_version", "tenant_id", "interaction_type", "content", "timestamp", "source"]));
    expect(envelope.properties).toHaveProperty("extras");
  });
});
