import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeFreightId } from "../../../src/freight/compute-freight-id.js";
import { main } from "../../../src/cli/main.js";
import { startRegistry, type TestRegistry } from "../../support/distribution-registry.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let registry: TestRegistry;
let digest = "";
let root = "";
beforeAll(async () => {
  registry = await startRegistry();
  await registry.pushImage("acme/app", "1.0.0");
  digest = await registry.pushImage("acme/app", "1.1.0", { salt: "new" });
  await registry.pushImage("acme/app", "2.0.0", { salt: "major" });
  // Helm charts pushed to a registry are OCI artifacts whose tags are the chart versions.
  await registry.tagMany("charts/app", ["1.0.0", "1.1.0", "1.2.0_build.1"], { salt: "chart" });
  root = mkdtempSync(join(tmpdir(), "discover-cli-"));
  mkdirSync(join(root, "native/.github"), { recursive: true });
  writeFileSync(
    join(root, "native/.github/stagecoach.yml"),
    [
      "project: guestbook",
      "repoURL: https://github.com/acme/gitops",
      "warehouses:",
      "  - name: app",
      "    subscriptions:",
      `      - image: { repoURL: ${registry.host}/acme/app, constraint: ^1.0.0 }`,
      "  - name: bundle",
      "    freightCreationCriteria:",
      `      expression: imageFrom('${registry.host}/acme/app').Tag == chartFrom('oci://${registry.host}/charts/app').Version`,
      "    subscriptions:",
      `      - image: { repoURL: ${registry.host}/acme/app, constraint: ^1.0.0 }`,
      `      - chart: { repoURL: "oci://${registry.host}/charts/app", semverConstraint: "<1.2.0" }`,
      "  - name: broken",
      "    subscriptions:",
      `      - image: { repoURL: ${registry.host}/acme/missing }`,
      "stages:",
      "  - name: dev",
      "    from: app",
      "    kustomize: { path: env/dev, image: ghcr.io/acme/app }",
    ].join("\n"),
  );
  mkdirSync(join(root, "kargo"), { recursive: true });
  writeFileSync(
    join(root, "kargo/warehouse.yaml"),
    [
      "apiVersion: kargo.akuity.io/v1alpha1",
      "kind: Warehouse",
      "metadata: { name: app, namespace: guestbook }",
      "spec:",
      "  subscriptions:",
      "    - image:",
      `        repoURL: ${registry.host}/acme/app`,
      "        constraint: ^1.0.0",
    ].join("\n"),
  );
});
afterAll(() => registry.close());

describe("stagecoach discover", () => {
  it("prints the freight each warehouse would create, and fails for the broken one", async () => {
    const { io, out, err } = capture();
    const code = await main(["discover", join(root, "native"), "--allow-private-networks"], io);
    const id = computeFreightId({ kind: "Warehouse", name: "app" }, { images: [{ repoURL: `${registry.host}/acme/app`, tag: "1.1.0", digest }] });
    expect(out).toContain(`warehouse app: freight ${id}`);
    expect(out).toContain(`  image  ${registry.host}/acme/app  tag 1.1.0  digest ${digest}`);
    expect(err).toEqual([expect.stringMatching(/^error: warehouse broken, subscriptions\[0\]\.image: .*answered 404/)]);
    const bundle = out.indexOf(out.find((l) => l.startsWith("warehouse bundle: freight "))!);
    expect(out.slice(bundle + 1, bundle + 3)).toEqual([`  image  ${registry.host}/acme/app  tag 1.1.0  digest ${digest}`, `  chart  oci://${registry.host}/charts/app  version 1.1.0`]);
    expect(code).toBe(1);
  });

  it("reads Kargo manifests the same way and answers JSON for one warehouse", async () => {
    const { io, out } = capture();
    const code = await main(["discover", join(root, "kargo"), "--warehouse", "app", "--json", "--allow-private-networks"], io);
    expect(code).toBe(0);
    const document = JSON.parse(out.join("\n")) as { warehouses: { name: string; outcome: string; freight: { id: string; images: unknown[] } }[] };
    expect(document.warehouses).toHaveLength(1);
    expect(document.warehouses[0]).toMatchObject({ name: "app", outcome: "create", freight: { images: [{ repoURL: `${registry.host}/acme/app`, tag: "1.1.0", digest }] } });
    expect(document.warehouses[0]!.freight.id).toBe(computeFreightId({ kind: "Warehouse", name: "app" }, { images: [{ repoURL: `${registry.host}/acme/app`, tag: "1.1.0", digest }] }));
  });

  it("refuses a loopback registry without --allow-private-networks, naming the setting", async () => {
    const { io, err } = capture();
    expect(await main(["discover", join(root, "kargo")], io)).toBe(1);
    expect(err.join("\n")).toMatch(/non-public address.*STAGECOACH_ALLOW_PRIVATE_REGISTRIES/);
  });

  it("names the warehouses when --warehouse matches none, and explains a bad path", async () => {
    const first = capture();
    expect(await main(["discover", join(root, "native"), "--warehouse", "nope"], first.io)).toBe(2);
    expect(first.err).toEqual(['stagecoach discover: no warehouse named "nope"; this config has: app, bundle, broken']);
    const second = capture();
    expect(await main(["discover", join(root, "does-not-exist")], second.io)).toBe(1);
    expect(second.err[0]).toMatch(/no such file or directory/);
    const third = capture();
    expect(await main(["discover"], third.io)).toBe(2);
  });
});
