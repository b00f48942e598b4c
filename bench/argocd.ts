/**
 * Argo CD figures: how fast the pure logic runs, and the client's round trip against the fake
 * server on loopback. Prints numbers; asserts nothing. Run: node --import tsx bench/argocd.ts
 */
import { performance } from "node:perf_hooks";
import { createArgoCdClient } from "../src/argocd/client.js";
import { checkArgoCdApps } from "../src/argocd/check-argocd-apps.js";
import { evaluateAppState } from "../src/argocd/evaluate-app-state.js";
import { planSourceUpdate } from "../src/argocd/plan-source-update.js";
import type { Application } from "../src/argocd/types.js";
import { startFakeArgoCd } from "../src/sandbox/argocd/start-fake-argocd.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

function app(name: string): Application {
  return {
    metadata: { name, namespace: "argocd", annotations: { "kargo.akuity.io/authorized-stage": "shop:prod" } },
    spec: {
      project: "default",
      sources: [
        { repoURL: "https://charts.acme.dev", chart: "web", targetRevision: "1.0.0" },
        { repoURL: "https://github.com/acme/gitops.git", targetRevision: SHA, kustomize: { images: ["ghcr.io/acme/web:1.0.0"] } },
      ],
      destination: { server: "https://kubernetes.default.svc", namespace: name },
    },
    status: { sync: { status: "Synced", revisions: ["1.0.0", SHA] }, health: { status: "Healthy" } },
  };
}

function rate(label: string, count: number, run: () => void): void {
  const start = performance.now();
  run();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(44)} ${count} in ${ms.toFixed(1)} ms  (${Math.round((count / ms) * 1000).toLocaleString("en")}/s)`);
}

const apps = Array.from({ length: 10_000 }, (_, i) => app(`web-${i}`));
rate("evaluateAppState (multi-source)", apps.length, () => apps.forEach((a) => evaluateAppState(a, ["1.0.0", SHA])));
rate("planSourceUpdate (chart + kustomize image)", apps.length, () =>
  apps.forEach((a) =>
    planSourceUpdate(
      a,
      { sources: [{ repoURL: "https://charts.acme.dev", chart: "web", desiredRevision: "1.3.0" }, { repoURL: "https://github.com/acme/gitops", kustomize: { images: [{ repoURL: "ghcr.io/acme/web", tag: "1.4.0" }] } }] },
      { name: "bench" },
    ),
  ),
);

const fake = await startFakeArgoCd({ syncDelayMs: "manual" });
const client = createArgoCdClient({ server: fake.url, token: fake.token });
for (let i = 0; i < 50; i++) fake.addApplication(app(`web-${i}`));
const targets = Array.from({ length: 50 }, (_, i) => ({ name: `web-${i}`, namespace: "argocd" }));
const rounds = 20;
const start = performance.now();
for (let round = 0; round < rounds; round++) {
  await checkArgoCdApps(client, targets, { startedAt: new Date(), now: new Date(), timeoutMs: 60_000, pollIntervalMs: 5000 });
}
const ms = performance.now() - start;
console.log(`${"checkArgoCdApps, 50 apps, loopback fake".padEnd(44)} ${rounds} checks in ${ms.toFixed(0)} ms  (${(ms / rounds).toFixed(1)} ms per check, ${((ms / rounds / 50) * 1000).toFixed(0)} µs per app GET)`);
await client.close();
await fake.close();
