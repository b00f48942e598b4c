import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createArgoCdClient, type ArgoCdClient } from "../../../src/argocd/client.js";
import { argocdUpdate } from "../../../src/promotion/steps/argocd-update.js";
import { argocdWait } from "../../../src/promotion/steps/argocd-wait.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp } from "../../argocd/support/applications.js";
import { contractViolations } from "../../argocd/support/argocd-contract.js";
import { argoStepEnv } from "../../argocd/support/step-env.js";
import { steppedClock } from "../../argocd/support/stepped-clock.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const authorized = { "kargo.akuity.io/authorized-stage": "shop:prod" };
let fake: FakeArgoCd;
let client: ArgoCdClient;

beforeEach(async () => {
  fake = await startFakeArgoCd({ syncDelayMs: "manual" });
  client = createArgoCdClient({ server: fake.url, token: fake.token });
  fake.addApplication(gitApp("web", { annotations: authorized, labels: { app: "web" } }));
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

async function update() {
  const config = argocdUpdate.config.parse({ apps: [{ name: "web", sources: [{ repoURL: "https://github.com/acme/gitops", desiredRevision: SHA }] }] });
  const result = await argocdUpdate.run(config, argoStepEnv({ argocd: client, clock: steppedClock() }));
  return { update: result.outputs! };
}

describe("argocd-wait step", () => {
  it("waits for the revisions the earlier argocd-update set, then succeeds", async () => {
    const outputs = await update();
    const clock = steppedClock();
    const started = clock.now();
    const wait = (config: unknown) => argocdWait.run(argocdWait.config.parse(config), argoStepEnv({ argocd: client, clock, startedAt: started, outputs }));
    expect(await wait({})).toMatchObject({ phase: "Running", message: expect.stringContaining("sync operation Running") });
    fake.completeSync("web");
    expect(await wait({})).toMatchObject({ phase: "Succeeded", outputs: { apps: [{ app: "argocd/web", phase: "Healthy", health: "Healthy" }] } });
  });

  it("fails with the app's health message when it ends Degraded", async () => {
    const outputs = await update();
    fake.scriptSync("web", { phase: "Succeeded", health: "Degraded", message: "Back-off restarting failed container" });
    fake.completeSync("web");
    const clock = steppedClock();
    const result = await argocdWait.run(argocdWait.config.parse({ apps: [{ selector: { matchLabels: { app: "web" } } }] }), argoStepEnv({ argocd: client, clock, outputs }));
    expect(result).toMatchObject({ phase: "Failed", message: "argocd/web: Synced, health Degraded: Back-off restarting failed container" });
  });

  it("gives up after its timeout, measured from when the step first started", async () => {
    await update();
    const clock = steppedClock();
    const started = clock.now();
    await clock.sleep(120_000);
    const config = argocdWait.config.parse({ apps: [{ name: "web", desiredRevision: SHA }], timeout: "2m" });
    const result = await argocdWait.run(config, argoStepEnv({ argocd: client, clock, startedAt: started }));
    expect(result).toMatchObject({ phase: "Failed", message: expect.stringContaining("timed out after 2m") });
  });

  it.each([
    [{ timeout: "soon" }, "Errored", 'argocd-wait timeout: "soon" is not a duration'],
    [{}, "Errored", "no apps[] given and no earlier argocd-update step"],
    [{ apps: [{ name: "nope" }] }, "Failed", "Application nope not found in namespace argocd"],
  ])("ends %j as a StepFailure", async (config, phase, message) => {
    const env = argoStepEnv({ argocd: client, clock: steppedClock() });
    await expect(argocdWait.run(argocdWait.config.parse(config), env)).rejects.toMatchObject({ phase, message: expect.stringContaining(message) });
  });
});
