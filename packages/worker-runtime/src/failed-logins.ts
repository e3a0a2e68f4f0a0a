import type { Logger } from "@dealgraph/logging";
import type { RedisClient } from "@dealgraph/queues";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyTypeProviderDefault, RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A Fastify app of the fleet's: the default server, the fleet's pino logger. */
type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, FastifyTypeProviderDefault>;

/**
 * What a sign-in page calls on a wrong credential: it counts against the client's address in
 * Redis (so that several processes throttle together) and, past `max` in a minute, answers 429
 * (`message`) instead. Only failures count, so a right credential always gets through.
 */
export async function throttleFailedLogins(
  app: App,
  options: { redis: RedisClient; nameSpace: string; max: number; message: string },
): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<void>> {
  await app.register(rateLimit, {
    global: false,
    redis: options.redis,
    nameSpace: options.nameSpace,
    // Redis unreachable: sign-ins go on unthrottled rather than all refused.
    skipOnError: true,
    errorResponseBuilder: () => Object.assign(new Error(options.message), { statusCode: 429 }),
  });
  const limit = app.rateLimit({ max: options.max, timeWindow: 60_000, keyGenerator: (request) => `failed:${request.ip}` });
  // The plugin types its hook for Fastify's own generics; called as the hook it is.
  return (request, reply) => (limit as unknown as (this: App, request: FastifyRequest, reply: FastifyReply) => Promise<void>).call(app, request, reply);
}
