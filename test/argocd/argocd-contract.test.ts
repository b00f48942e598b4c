import { describe, expect, it } from "vitest";
import type { RecordedExchange } from "../../src/sandbox/argocd/start-fake-argocd.js";
import { contractViolations } from "./support/argocd-contract.js";

const exchange = (overrides: Partial<RecordedExchange>): RecordedExchange => ({
  method: "GET",
  path: "/api/v1/applications/guestbook",
  query: {},
  body: undefined,
  authenticated: true,
  status: 200,
  response: { metadata: { name: "guestbook" } },
  ...overrides,
});

describe("the swagger contract checker catches what it is meant to", () => {
  it("accepts a conforming exchange", () => {
    expect(contractViolations([exchange({ query: { appNamespace: ["argocd"] } })])).toEqual([]);
  });

  it.each([
    ["an invented request field", exchange({ method: "POST", path: "/api/v1/applications/guestbook/sync", body: { name: "guestbook", prun: false } }), "(prun)"],
    ["a wrongly typed request field", exchange({ method: "POST", path: "/api/v1/applications/guestbook/sync", body: { name: "guestbook", prune: "no" } }), "must be boolean"],
    ["an unknown query parameter", exchange({ query: { namespace: ["argocd"] } }), 'query parameter "namespace"'],
    ["an unknown operation", exchange({ method: "POST", path: "/api/v1/applications/guestbook/promote" }), "no such operation"],
    ["a response field Argo CD never sends", exchange({ response: { metadata: { name: "guestbook" }, status: { healthy: true } } }), "(healthy)"],
    ["an error body of the wrong shape", exchange({ status: 404, response: { code: "NotFound" } }), "must be integer"],
    ["a nested resource-tree node with an unknown field", exchange({ path: "/api/v1/applications/guestbook/resource-tree", response: { nodes: [{ kind: "Pod", colour: "red" }] } }), "(colour)"],
  ])("flags %s", (_label, bad, message) => {
    expect(contractViolations([bad]).join("\n")).toContain(message);
  });

  it("accepts fields a resource-tree node inherits from ResourceRef", () => {
    const tree = exchange({ path: "/api/v1/applications/guestbook/resource-tree", response: { nodes: [{ kind: "Pod", name: "p", uid: "1", health: { status: "Healthy" } }] } });
    expect(contractViolations([tree])).toEqual([]);
  });
});
