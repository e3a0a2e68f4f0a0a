import {
  WEBHOOK_EVENTS,
  acceptedBatchSchema,
  acceptedSchema,
  apiErrorSchema,
  batchConflictSchema,
  envelopeBatchV1Schema,
  envelopeStatusSchema,
  envelopeV1Schema,
  createdWebhookEndpointSchema,
  tenantSchema,
  webhookDeliveryListSchema,
  webhookEndpointInputSchema,
  webhookEndpointListSchema,
  webhookEventSchema,
} from "@dealgraph/contracts";
import { z } from "zod";

/*
 * The api's OpenAPI 3.1 description, generated from the same zod schemas the api validates
 * with and the client checks answers against. OpenAPI 3.1's schema dialect is JSON Schema
 * 2020-12, which zod writes natively. `API_ROUTES` is also what the test compares with the
 * routes the api really serves, so a route added without a description fails CI.
 */

const COMPONENTS = {
  EnvelopeV1: envelopeV1Schema,
  EnvelopeBatchV1: envelopeBatchV1Schema,
  Accepted: acceptedSchema,
  AcceptedBatch: acceptedBatchSchema,
  BatchConflict: batchConflictSchema,
  EnvelopeStatus: envelopeStatusSchema,
  Tenant: tenantSchema,
  Error: apiErrorSchema,
  WebhookEndpointInput: webhookEndpointInputSchema,
  CreatedWebhookEndpoint: createdWebhookEndpointSchema,
  WebhookEndpointList: webhookEndpointListSchema,
  WebhookDeliveryList: webhookDeliveryListSchema,
  WebhookEvent: webhookEventSchema,
} as const;
type ComponentName = keyof typeof COMPONENTS;

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });

/** Refusals any authenticated route may answer, in the one error shape. */
const ERRORS: Record<string, string> = {
  "401": "No valid API key (Authorization: Bearer <key>)",
  "429": "Too many requests: retry after the seconds in Retry-After",
  "500": "The request could not be completed; it is safe to retry",
};
const BODY_ERRORS: Record<string, string> = {
  "400": "Not valid JSON, or not a valid envelope: `issues` names each field (`3.timestamp` in an array)",
  "403": "An envelope's tenant_id is not the API key's tenant",
  "413": "The body is larger than the limit",
  "415": "The body is not UTF-8 JSON, or is compressed",
};
const errorResponses = (errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([status, description]) => [status, { description, content: json(ref("Error")) }]));

export interface ApiRoute {
  method: "get" | "post" | "delete";
  /** In Fastify's form (`/v1/envelopes/:interactionId`); the document writes `{interactionId}`. */
  path: string;
  operation: Record<string, unknown>;
}

const authenticated = { security: [{ apiKey: [] }] };

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "post",
    path: "/v1/envelopes",
    operation: {
      operationId: "postEnvelopes",
      summary: "Post one envelope, or an array of them (all or none)",
      description:
        "Stores each envelope in the inbox and enqueues one job per pipeline. An interaction_id already accepted with the same content is a duplicate (202, nothing enqueued); with other content it is a conflict (409), and the stored envelope is kept.",
      ...authenticated,
      requestBody: { required: true, content: json({ oneOf: [ref("EnvelopeV1"), ref("EnvelopeBatchV1")] }) },
      responses: {
        "202": {
          description: "Accepted: one envelope's job ids, or `accepted` for an array",
          content: json({ oneOf: [ref("Accepted"), ref("AcceptedBatch")] }),
        },
        "409": {
          description: "An interaction_id was accepted before with other content; for an array, `accepted` says what became of each envelope",
          content: json({ oneOf: [ref("Error"), ref("BatchConflict")] }),
        },
        ...errorResponses({ ...BODY_ERRORS, ...ERRORS }),
      },
    },
  },
  {
    method: "get",
    path: "/v1/envelopes/:interactionId",
    operation: {
      operationId: "getEnvelopeStatus",
      summary: "Where an envelope is in each pipeline",
      ...authenticated,
      parameters: [{ name: "interactionId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: {
        "200": { description: "Each pipeline's state; `completed` carries its run summary", content: json(ref("EnvelopeStatus")) },
        ...errorResponses({ "404": "No such interaction for this tenant", ...ERRORS }),
      },
    },
  },
  {
    method: "get",
    path: "/v1/tenant",
    operation: {
      operationId: "getTenant",
      summary: "The tenant the API key acts for",
      ...authenticated,
      responses: { "200": { description: "The key's tenant", content: json(ref("Tenant")) }, ...errorResponses(ERRORS) },
    },
  },
  {
    method: "post",
    path: "/v1/webhooks",
    operation: {
      operationId: "createWebhookEndpoint",
      summary: "Register a webhook endpoint",
      description:
        "Deliveries (body: WebhookEvent) are POSTed with the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the secret), retried with back-off on anything but 2xx.",
      ...authenticated,
      requestBody: { required: true, content: json(ref("WebhookEndpointInput")) },
      responses: {
        "201": { description: "Registered; `secret` is shown only in this answer", content: json(ref("CreatedWebhookEndpoint")) },
        ...errorResponses({ "400": "Not a valid endpoint: `issues` names each field", ...ERRORS }),
      },
    },
  },
  {
    method: "get",
    path: "/v1/webhooks",
    operation: {
      operationId: "listWebhookEndpoints",
      summary: "The tenant's webhook endpoints (without their secrets)",
      ...authenticated,
      responses: { "200": { description: "The endpoints", content: json(ref("WebhookEndpointList")) }, ...errorResponses(ERRORS) },
    },
  },
  {
    method: "get",
    path: "/v1/webhooks/deliveries",
    operation: {
      operationId: "listWebhookDeliveries",
      summary: "The latest deliveries, newest first: status, attempts, the receiver's last answer",
      ...authenticated,
      parameters: [
        { name: "endpoint_id", in: "query", required: false, schema: { type: "string", format: "uuid" } },
        { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
      ],
      responses: {
        "200": { description: "The deliveries", content: json(ref("WebhookDeliveryList")) },
        ...errorResponses({ "400": "A bad endpoint_id or limit", ...ERRORS }),
      },
    },
  },
  {
    method: "delete",
    path: "/v1/webhooks/:endpointId",
    operation: {
      operationId: "deleteWebhookEndpoint",
      summary: "Delete a webhook endpoint; its pending deliveries are cancelled",
      ...authenticated,
      parameters: [{ name: "endpointId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: { "204": { description: "Deleted" }, ...errorResponses({ "404": "No such endpoint for this tenant", ...ERRORS }) },
    },
  },
  {
    method: "get",
    path: "/healthz",
    operation: { operationId: "getHealth", summary: "Liveness: the process answers", responses: { "200": { description: "Alive" } } },
  },
  {
    method: "get",
    path: "/readyz",
    operation: {
      operationId: "getReadiness",
      summary: "Readiness: Postgres and Redis answer",
      responses: { "200": { description: "Ready" }, "503": { description: "A dependency is down: `failing` names it" } },
    },
  },
  {
    method: "get",
    path: "/metrics",
    operation: {
      operationId: "getMetrics",
      summary: "Prometheus metrics",
      responses: { "200": { description: "The text exposition format", content: { "text/plain": { schema: { type: "string" } } } } },
    },
  },
  {
    method: "get",
    path: "/openapi.json",
    operation: { operationId: "getOpenApi", summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } } },
  },
];

const openApiPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

/** The document, for an api whose version is `version`. */
export function openApiDocument(version: string): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io: "input", uri: (id: string) => `#/components/schemas/${id}` });
  // Each component's own `$id`/`$schema` would make it a separate resource; the document is one.
  const components = Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $id: _id, $schema: _schema, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) (paths[openApiPath(route.path)] ??= {})[route.method] = route.operation;
  return {
    openapi: "3.1.0",
    info: {
      title: "dealgraph api",
      version,
      description: "Producers post customer-conversation envelopes; the fleet extracts deals and action items from them. Every refusal has the shape `Error`.",
    },
    paths,
    // What the fleet POSTs to a tenant's registered endpoints (OpenAPI 3.1's own field for it).
    webhooks: Object.fromEntries(
      WEBHOOK_EVENTS.map((event) => [
        event,
        {
          post: {
            operationId: `deliver_${event.replace(".", "_")}`,
            summary: `${event}, signed (webhook-id, webhook-timestamp, webhook-signature)`,
            requestBody: { required: true, content: json(ref("WebhookEvent")) },
            responses: { "200": { description: "Received: any 2xx ends the delivery; anything else is retried with back-off" } },
          },
        },
      ]),
    ),
    components: {
      schemas: components,
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A tenant's API key (`pnpm dealgraph keys create`)" } },
    },
  };
}
