import { describe, expect, it } from "vitest";
import { WarehouseSchema, type Warehouse } from "../../src/config/model/warehouse.js";
import { computeFreightId } from "../../src/freight/compute-freight-id.js";
import { decideFreightCandidate } from "../../src/warehouse/build-freight-candidate.js";
import type { WarehouseDiscovery } from "../../src/warehouse/discover-warehouse.js";

const warehouse = (spec: Record<string, unknown> = {}): Warehouse =>
  WarehouseSchema.parse({
    name: "app",
    spec: { subscriptions: [{ image: { repoURL: "ghcr.io/acme/app" } }, { chart: { repoURL: "oci://ghcr.io/acme/charts/app" } }], ...spec },
  });

const found: WarehouseDiscovery = {
  warehouse: "app",
  failures: [],
  results: [
    { kind: "image", repoURL: "ghcr.io/acme/app", images: [{ repoURL: "ghcr.io/acme/app", tag: "1.4.0", digest: "sha256:new", createdAt: "2026-11-22T00:00:00Z" }, { repoURL: "ghcr.io/acme/app", tag: "1.3.0", digest: "sha256:old" }] },
    { kind: "chart", repoURL: "oci://ghcr.io/acme/charts/app", charts: [{ repoURL: "oci://ghcr.io/acme/charts/app", version: "1.4.0" }] },
  ],
};

describe("decideFreightCandidate", () => {
  it("combines the newest artifact of every subscription into freight with Kargo's ID", () => {
    const decision = decideFreightCandidate(warehouse(), found);
    const artifacts = { images: [{ repoURL: "ghcr.io/acme/app", tag: "1.4.0", digest: "sha256:new" }], charts: [{ repoURL: "oci://ghcr.io/acme/charts/app", version: "1.4.0" }] };
    expect(decision).toEqual({ outcome: "create", candidate: { name: computeFreightId({ kind: "Warehouse", name: "app" }, artifacts), origin: { kind: "Warehouse", name: "app" }, ...artifacts } });
  });

  it("creates nothing while a subscription failed or found nothing, and says why", () => {
    expect(decideFreightCandidate(warehouse(), { ...found, failures: [{ field: "warehouse app, subscriptions[1].chart", message: "warehouse app, subscriptions[1].chart: 404", retryable: false }] })).toEqual({
      outcome: "skip",
      reason: "warehouse app, subscriptions[1].chart: 404",
    });
    const empty = { ...found, results: [found.results[0]!, { kind: "chart" as const, repoURL: "oci://ghcr.io/acme/charts/app", charts: [] }] };
    expect(decideFreightCandidate(warehouse(), empty)).toMatchObject({ outcome: "skip", reason: "warehouse app: chart oci://ghcr.io/acme/charts/app has nothing that matches the subscription yet" });
  });

  it("applies freightCreationCriteria over the candidate's artifacts", () => {
    const matching = warehouse({ freightCreationCriteria: { expression: "imageFrom('ghcr.io/acme/app').Tag == chartFrom('oci://ghcr.io/acme/charts/app').Version" } });
    expect(decideFreightCandidate(matching, found).outcome).toBe("create");
    const differing = { ...found, results: [found.results[0]!, { kind: "chart" as const, repoURL: "oci://ghcr.io/acme/charts/app", charts: [{ repoURL: "oci://ghcr.io/acme/charts/app", version: "1.3.9" }] }] };
    expect(decideFreightCandidate(matching, differing)).toMatchObject({ outcome: "skip", reason: expect.stringContaining("freightCreationCriteria.expression is false") });
  });

  it("reports a broken criteria expression with its field instead of creating freight", () => {
    const broken = warehouse({ freightCreationCriteria: { expression: "imageFrom('ghcr.io/acme/nope').Tag == '1'" } });
    expect(decideFreightCandidate(broken, found)).toMatchObject({ outcome: "skip", reason: expect.stringMatching(/^warehouse app, spec\.freightCreationCriteria\.expression: .*imageFrom\("ghcr.io\/acme\/nope"\)/) });
    const hostile = warehouse({ freightCreationCriteria: { expression: "constructor.constructor('return 1')()" } });
    expect(decideFreightCandidate(hostile, found).outcome).toBe("skip");
  });

  it("holds freight for a person under freightCreationPolicy: Manual", () => {
    expect(decideFreightCandidate(warehouse({ freightCreationPolicy: "Manual" }), found).outcome).toBe("manual");
  });
});
