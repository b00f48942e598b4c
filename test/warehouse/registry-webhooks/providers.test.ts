import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createBodySignature } from "../../../src/warehouse/registry-webhooks/check-secret.js";
import { REGISTRY_WEBHOOK_PROVIDERS } from "../../../src/warehouse/registry-webhooks/providers/index.js";
import { readReceiverSecrets } from "../../../src/warehouse/registry-webhooks/read-receiver-secrets.js";
import { PayloadError } from "../../../src/warehouse/registry-webhooks/types.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/registry-webhooks/${name}.json`, import.meta.url), "utf8"));
const SECRET = "s3cret-receiver-token-0123";

describe("registry webhook payloads", () => {
  it.each([
    ["dockerhub", [{ repository: "docker.io/acme/app", tag: "1.4.0" }]],
    ["quay", [{ repository: "quay.io/acme/app", tag: "1.4.0" }, { repository: "quay.io/acme/app", tag: "latest" }]],
    ["harbor", [{ repository: "harbor.example.com/acme/app", tag: "1.4.0", digest: "sha256:8f0d3c6e0a4e0ffb1a8b6a5c2f0b5a0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f70" }]],
    ["distribution", [{ repository: "registry.example.com:5000/acme/app", tag: "1.4.0", digest: "sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf" }]],
    ["acr", [{ repository: "acmeregistry.azurecr.io/acme/app", tag: "1.4.0", digest: "sha256:80f0d5c8786bb9e621a45ece0db56d11cdc624ad20da9fe62e9d25490f331d7d" }]],
    ["artifactory", [{ repository: "acme.jfrog.io/docker-local/app", tag: "1.4.0", digest: "sha256:a904f9cafe1c4e1d8b1b5d2b3f4d4ff3c3d1c2b1a0f9e8d7c6b5a4f3e2d1c0b9" }]],
  ])("%s: reads the image pushes", (provider, pushes) => {
    expect(REGISTRY_WEBHOOK_PROVIDERS[provider]!.parse(fixture(provider))).toEqual(pushes);
  });

  it("reads a nested Artifactory image from data.path, not from image_name alone (its last part)", () => {
    // As Artifactory sends a push of <repo>/team/app:1.4.0, and of library/ubuntu as JFrog documents it.
    const nested = { domain: "docker", event_type: "pushed", jpd_origin: "https://acme.jfrog.io", data: { repo_key: "docker-local", path: "team/app/1.4.0/manifest.json", name: "manifest.json", image_name: "app", tag: "1.4.0" } };
    expect(REGISTRY_WEBHOOK_PROVIDERS.artifactory!.parse(nested)).toEqual([{ repository: "acme.jfrog.io/docker-local/team/app", tag: "1.4.0" }]);
    const documented = { ...nested, data: { repo_key: "docker-remote-cache", path: "library/ubuntu/latest/list.manifest.json", image_name: "library/ubuntu", tag: "latest" } };
    expect(REGISTRY_WEBHOOK_PROVIDERS.artifactory!.parse(documented)).toEqual([{ repository: "acme.jfrog.io/docker-remote-cache/library/ubuntu", tag: "latest" }]);
    const elsewhere = { ...nested, data: { ...nested.data, path: "other/thing/1.4.0/manifest.json" } };
    expect(() => REGISTRY_WEBHOOK_PROVIDERS.artifactory!.parse(elsewhere)).toThrow(new PayloadError('data.path "other/thing/1.4.0/manifest.json" is not <image path>/<tag>/<manifest> for image_name "app"'));
  });

  it("maps Docker Hub's official images under library/ and reads the generic form", () => {
    expect(REGISTRY_WEBHOOK_PROVIDERS.dockerhub!.parse({ repository: { repo_name: "nginx" }, push_data: { tag: "1.27" } })).toEqual([{ repository: "docker.io/library/nginx", tag: "1.27" }]);
    expect(REGISTRY_WEBHOOK_PROVIDERS.generic!.parse({ repository: "ghcr.io/acme/app", tag: "2.0.0" })).toEqual([{ repository: "ghcr.io/acme/app", tag: "2.0.0" }]);
  });

  it("ignores events that are not pushes: deletes, pulls, blob uploads, chart pushes", () => {
    expect(REGISTRY_WEBHOOK_PROVIDERS.harbor!.parse(fixture("harbor-delete"))).toEqual([]);
    expect(REGISTRY_WEBHOOK_PROVIDERS.acr!.parse({ ...(fixture("acr") as object), action: "delete" })).toEqual([]);
    expect(REGISTRY_WEBHOOK_PROVIDERS.artifactory!.parse({ ...(fixture("artifactory") as object), event_type: "deleted" })).toEqual([]);
    expect(REGISTRY_WEBHOOK_PROVIDERS.distribution!.parse(fixture("distribution"))).toHaveLength(1);
  });

  it("refuses payloads of the wrong shape with the field that is wrong", () => {
    const cases: [string, unknown, string][] = [
      ["dockerhub", [], "body must be an object"],
      ["dockerhub", { repository: { repo_name: 42 } }, "repository.repo_name must be a non-empty string"],
      ["quay", { docker_url: "quay.io/a/b", updated_tags: "latest" }, "updated_tags must be a list"],
      ["distribution", { events: { action: "push" } }, "events must be a list"],
      ["distribution", { events: Array.from({ length: 101 }, () => ({})) }, "events has more than 100 entries"],
      ["quay", { docker_url: "quay.io/a/b", updated_tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, "updated_tags has more than 100 entries"],
      ["harbor", { type: "PUSH_ARTIFACT", event_data: { resources: [{ resource_url: ["x"] }] } }, "event_data.resources[0].resource_url must be a non-empty string"],
      ["generic", { repository: "x".repeat(600) }, "repository must be a non-empty string"],
      ["acr", { action: "push", target: null, request: {} }, "target must be an object"],
    ];
    for (const [provider, payload, message] of cases) {
      expect(() => REGISTRY_WEBHOOK_PROVIDERS[provider]!.parse(payload), provider).toThrow(new PayloadError(message));
    }
  });
});

describe("registry webhook authentication", () => {
  const carries = (provider: string, request: { headers: Record<string, string>; pathToken?: string }) => REGISTRY_WEBHOOK_PROVIDERS[provider]!.carriesSecret?.(request, SECRET) ?? false;
  const signed = (provider: string, given: string, payload: Buffer) => {
    const { signature } = REGISTRY_WEBHOOK_PROVIDERS[provider]!;
    if (!signature) return false;
    const check = createBodySignature(SECRET, signature.prefix);
    check.update(payload);
    return check.matches(given);
  };

  it("takes the secret from the URL for registries that cannot sign (Docker Hub, Quay)", () => {
    expect(carries("dockerhub", { headers: {}, pathToken: SECRET })).toBe(true);
    expect(carries("quay", { headers: {}, pathToken: `${SECRET}x` })).toBe(false);
    expect(carries("dockerhub", { headers: { authorization: SECRET } })).toBe(false);
  });

  it("takes it from the Authorization header for Harbor, ACR and Distribution, bare or as Bearer, never as Basic", () => {
    for (const provider of ["harbor", "acr", "distribution"]) {
      expect(carries(provider, { headers: { authorization: SECRET } })).toBe(true);
      expect(carries(provider, { headers: { authorization: `Bearer ${SECRET}` } })).toBe(true);
      expect(carries(provider, { headers: { authorization: `Basic ${SECRET}` } })).toBe(false);
      expect(carries(provider, { headers: { authorization: `Basic ${Buffer.from(`stagecoach:${SECRET}`).toString("base64")}` } })).toBe(false);
      expect(carries(provider, { headers: { authorization: "Bearer wrong" } })).toBe(false);
      expect(carries(provider, { headers: {}, pathToken: SECRET })).toBe(false);
    }
  });

  it("verifies HMAC signatures of the exact body (Artifactory, generic), which carry no secret before the body", () => {
    const payload = Buffer.from(JSON.stringify(fixture("artifactory")));
    const hmac = createHmac("sha256", SECRET).update(payload).digest("hex");
    expect(REGISTRY_WEBHOOK_PROVIDERS.artifactory!.signature?.header).toBe("x-jfrog-event-auth");
    expect(signed("artifactory", hmac, payload)).toBe(true);
    expect(signed("artifactory", hmac, Buffer.concat([payload, Buffer.from(" ")]))).toBe(false);
    expect(carries("artifactory", { headers: { "x-jfrog-event-auth": hmac } })).toBe(false);
    expect(REGISTRY_WEBHOOK_PROVIDERS.generic!.signature?.header).toBe("x-hub-signature-256");
    expect(signed("generic", `sha256=${hmac}`, payload)).toBe(true);
    expect(signed("generic", hmac, payload)).toBe(false);
    expect(carries("generic", { headers: { authorization: `Bearer ${SECRET}` } })).toBe(true);
  });
});

describe("readReceiverSecrets", () => {
  it("uses the per-provider variable, else the shared one; refuses short or odd secrets without echoing them", () => {
    const { secrets, problems } = readReceiverSecrets({ REGISTRY_WEBHOOK_SECRET: SECRET, REGISTRY_WEBHOOK_SECRET_QUAY: "quay-only-secret-9876", REGISTRY_WEBHOOK_SECRET_HARBOR: "short" });
    expect(secrets.dockerhub).toBe(SECRET);
    expect(secrets.quay).toBe("quay-only-secret-9876");
    expect(secrets.harbor).toBeUndefined();
    expect(problems).toEqual(["REGISTRY_WEBHOOK_SECRET_HARBOR is shorter than 16 characters; use a long random value (openssl rand -hex 32)."]);
    expect(readReceiverSecrets({ REGISTRY_WEBHOOK_SECRET_ACR: "has a space in it ok" }).problems[0]).toMatch(/^REGISTRY_WEBHOOK_SECRET_ACR contains spaces/);
    expect(readReceiverSecrets({}).secrets).toEqual({});
  });
});
