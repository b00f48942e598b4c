import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { WarehouseSchema, type Warehouse } from "../../src/config/model/warehouse.js";
import { artifactKey, createMemorySubscriptionIndex, createRedisSubscriptionIndex, type SubscriptionIndex } from "../../src/warehouse/subscription-index.js";
import { testRedisUrl } from "../support/redis.js";

const warehouse = (name: string, subscriptions: object[]): Warehouse => WarehouseSchema.parse({ name, spec: { subscriptions } });

const redis = new Redis(testRedisUrl());
afterAll(() => redis.disconnect());

describe.each([
  ["in memory", () => createMemorySubscriptionIndex()],
  ["on Redis", () => createRedisSubscriptionIndex(redis, `test-${randomUUID()}`)],
])("subscription index %s", (_name, create: () => SubscriptionIndex) => {
  it("fans one artifact out to every subscribing warehouse, across installations, whatever the spelling", async () => {
    const index = create();
    await index.replaceRepository({ installationId: 1, owner: "acme", repo: "gitops" }, [
      warehouse("app", [{ image: { repoURL: "docker.io/library/nginx" } }, { git: { repoURL: "https://github.com/acme/src.git" } }]),
      warehouse("charts", [{ chart: { repoURL: "oci://ghcr.io/acme/charts/web" } }]),
    ]);
    await index.replaceRepository({ installationId: 2, owner: "globex", repo: "deploy" }, [warehouse("web", [{ image: { repoURL: "nginx" } }])]);

    const nginx = await index.lookup(artifactKey.image("index.docker.io/library/nginx:1.27"));
    expect(nginx.map((s) => `${s.installationId}/${s.owner}/${s.repo}/${s.warehouse}`).sort()).toEqual(["1/acme/gitops/app", "2/globex/deploy/web"]);
    expect(await index.lookup(artifactKey.git("git@github.com:acme/src.git"))).toEqual([]);
    expect(await index.lookup(artifactKey.git("https://GitHub.com/acme/src/"))).toEqual([{ installationId: 1, owner: "acme", repo: "gitops", warehouse: "app" }]);
    expect(await index.lookup(artifactKey.chart("oci://ghcr.io/acme/charts/web"))).toEqual([{ installationId: 1, owner: "acme", repo: "gitops", warehouse: "charts" }]);
    expect(await index.lookup(artifactKey.image("ghcr.io/nobody/uses-this"))).toEqual([]);
  });

  it("replaces a repository's subscriptions when its config changes, leaving others alone", async () => {
    const index = create();
    await index.replaceRepository({ installationId: 1, owner: "acme", repo: "gitops" }, [warehouse("app", [{ image: { repoURL: "ghcr.io/acme/app" } }])]);
    await index.replaceRepository({ installationId: 2, owner: "globex", repo: "deploy" }, [warehouse("app", [{ image: { repoURL: "ghcr.io/acme/app" } }])]);
    await index.replaceRepository({ installationId: 1, owner: "acme", repo: "gitops" }, [warehouse("api", [{ image: { repoURL: "ghcr.io/acme/api" } }])]);
    expect(await index.lookup(artifactKey.image("ghcr.io/acme/app"))).toEqual([{ installationId: 2, owner: "globex", repo: "deploy", warehouse: "app" }]);
    expect(await index.lookup(artifactKey.image("ghcr.io/acme/api"))).toEqual([{ installationId: 1, owner: "acme", repo: "gitops", warehouse: "api" }]);
    await index.replaceRepository({ installationId: 1, owner: "acme", repo: "gitops" }, []);
    expect(await index.lookup(artifactKey.image("ghcr.io/acme/api"))).toEqual([]);
  });
});
