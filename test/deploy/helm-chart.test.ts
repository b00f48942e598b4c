import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * What can be checked about the chart without helm (CI renders it with `helm lint` and
 * `helm template` in .github/workflows/ci.yml): its YAML files parse, it deploys this version, and
 * the templates and values.yaml agree on every value's name, both ways.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const CHART = join(ROOT, "deploy/helm/stagecoach");

async function templates(): Promise<Array<{ name: string; text: string }>> {
  const names = (await readdir(join(CHART, "templates"))).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(join(CHART, "templates", name), "utf8") })));
}

/** Every `.Values.a.b` (or `$.Values.a.b`) a template reads, with the template's name. */
async function valueReferences(): Promise<Array<{ template: string; path: string[] }>> {
  return (await templates()).flatMap(({ name, text }) => [...text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => ({ template: name, path: m[1]!.slice(1).split(".") })));
}

function has(values: unknown, path: string[]): boolean {
  let node = values;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** Paths to every leaf of values.yaml (a map or list counts as a leaf when the templates pass it whole). */
function leaves(values: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(values).flatMap(([key, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0 ? leaves(value as Record<string, unknown>, [...prefix, key]) : [[...prefix, key]],
  );
}

describe("the Helm chart", () => {
  it("has a Chart.yaml that deploys this package's version", async () => {
    const chart = parse(await readFile(join(CHART, "Chart.yaml"), "utf8")) as Record<string, unknown>;
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string; license: string };
    expect(chart).toMatchObject({ apiVersion: "v2", name: "stagecoach", type: "application", appVersion: pkg.version });
    expect((chart.annotations as Record<string, string>).licenses).toBe(pkg.license);
  });

  it("reads only values that values.yaml defines", async () => {
    const values = parse(await readFile(join(CHART, "values.yaml"), "utf8")) as Record<string, unknown>;
    const missing = (await valueReferences()).filter((ref) => !has(values, ref.path)).map((ref) => `${ref.template}: .Values.${ref.path.join(".")}`);
    expect(missing).toEqual([]);
  });

  it("uses every value values.yaml defines", async () => {
    const values = parse(await readFile(join(CHART, "values.yaml"), "utf8")) as Record<string, unknown>;
    const read = (await valueReferences()).map((ref) => ref.path.join("."));
    // A value is used when a template reads it or a map around it (toYaml .Values.resources).
    const unused = leaves(values).filter((path) => !path.some((_, i) => read.includes(path.slice(0, i + 1).join("."))));
    expect(unused.map((p) => p.join("."))).toEqual([]);
  });

  it("refuses more than one replica without Redis, and missing App credentials, with the value to set", async () => {
    const helpers = (await templates()).find((t) => t.name === "_helpers.tpl")!.text;
    expect(helpers).toContain("more than one replica needs a shared Redis (REDIS_URL). Set redis.url=redis://HOST:6379");
    expect(helpers).toContain("github.appId, github.privateKey and github.webhookSecret are required");
    for (const template of ["deployment.yaml", "secret.yaml"]) {
      expect((await templates()).find((t) => t.name === template)!.text.startsWith('{{- include "stagecoach.validate" . }}')).toBe(true);
    }
    const values = parse(await readFile(join(CHART, "values.yaml"), "utf8")) as { replicaCount: number; redis: { url: string; enabled: boolean } };
    expect(values.replicaCount).toBe(2);
    expect([values.redis.url, values.redis.enabled]).toEqual(["", false]);
  });

  it("probes /healthz and /readyz and runs non-root on a read-only root filesystem with /tmp writable", async () => {
    const deployment = (await templates()).find((t) => t.name === "deployment.yaml")!.text;
    expect(deployment).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \/healthz/);
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \/readyz/);
    expect(deployment).toMatch(/mountPath: \/tmp/);
    const values = parse(await readFile(join(CHART, "values.yaml"), "utf8")) as { podSecurityContext: Record<string, unknown>; securityContext: Record<string, unknown> };
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(values.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  });
});

describe("the Dockerfile", () => {
  it("pins kustomize and helm with a SHA-256 per architecture and checks each download", async () => {
    const dockerfile = await readFile(join(ROOT, "Dockerfile"), "utf8");
    for (const tool of ["KUSTOMIZE", "HELM"]) {
      expect(dockerfile).toMatch(new RegExp(`^ARG ${tool}_VERSION=\\d+\\.\\d+\\.\\d+$`, "m"));
      for (const arch of ["AMD64", "ARM64"]) expect(dockerfile).toMatch(new RegExp(`^ARG ${tool}_SHA256_${arch}=[0-9a-f]{64}$`, "m"));
    }
    expect(dockerfile.match(/\| sha256sum -c -/g)).toHaveLength(2);
    expect(dockerfile).toMatch(/^COPY --from=tools \/tools\/kustomize \/tools\/helm \/usr\/local\/bin\/$/m);
  });
});
