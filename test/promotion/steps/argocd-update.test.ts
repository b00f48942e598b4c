import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createArgoCdClient, type ArgoCdClient } from "../../../src/argocd/client.js";
import { argocdUpdate } from "../../../src/promotion/steps/argocd-update.js";
import { StepFailure } from "../../../src/promotion/step-failure.js";
import { startFakeArgoCd, type FakeArgoCd } from "../../../src/sandbox/argocd/start-fake-argocd.js";
import { gitApp, multiSourceApp } from "../../argocd/support/applications.js";
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
});

afterEach(async () => {
  expect(contractViolations(fake.requests())).toEqual([]);
  await client.close();
  await fake.close();
});

const run = (config: unknown, env = argoStepEnv({ argocd: client, clock: steppedClock() })) => argocdUpdate.run(argocdUpdate.config.parse(config), env);

describe("argocd-update step", () => {
  it("updates from the promotion's freight and reports what argocd-wait needs", async () => {
    fake.addApplication(multiSourceApp("web", authorized));
    const env = argoStepEnv({
      argocd: client,
      clock: steppedClock(),
      freight: [{ name: "abc", alias: "wiggly-tuatara", origin: { kind: "Warehouse", name: "charts" }, charts: [{ repoURL: "https://charts.acme.dev", name: "web", version: "1.3.0" }] }],
    });
    const result = await run({ apps: [{ name: "web", sources: [{ repoURL: "https://charts.acme.dev", chart: "web", updateTargetRevision: true }] }] }, env);
    expect(result).toMatchObject({
      phase: "Succeeded",
      outputs: { argocdApps: [{ name: "web", namespace: "argocd", expectedRevisions: ["1.3.0", null], sync: "triggered" }] },
    });
    expect(fake.getApplication("web")?.status?.operationState?.operation?.info).toEqual([{ name: "Reason", value: "Stagecoach promoted freight wiggly-tuatara to stage prod of project shop" }]);
  });

  it.each([
    [{}, "apps"],
    [{ apps: [] }, "apps"],
    [{ apps: [{ name: "web", selector: { matchLabels: { a: "b" } } }] }, "exactly one of them"],
    [{ apps: [{ name: "web", sources: [{ repoURL: "https://x", desiredRevison: "typo" }] }] }, "desiredRevison"],
    [{ apps: [{ name: "web", sources: [{ chart: "web" }] }] }, "repoURL"],
  ])("refuses the config %j", (config, message) => {
    const parsed = argocdUpdate.config.safeParse(config);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(message);
  });

  it("ends Failed, writing nothing, when the Application is not annotated for the stage", async () => {
    fake.addApplication(gitApp("web"));
    const error = await run({ apps: [{ name: "web", sources: [{ repoURL: "https://github.com/acme/gitops", desiredRevision: SHA }] }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect(error).toMatchObject({ phase: "Failed", message: expect.stringContaining('step-1: Argo CD Application argocd/web does not allow stage "prod" of project "shop"') });
    expect(fake.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("ends Errored when a source in the config matches nothing", async () => {
    fake.addApplication(gitApp("web", { annotations: authorized }));
    await expect(run({ apps: [{ name: "web", sources: [{ repoURL: "https://github.com/acme/elsewhere", desiredRevision: SHA }] }] })).rejects.toMatchObject({
      phase: "Errored",
      message: expect.stringContaining("argocd-update apps[0].sources[0]"),
    });
  });

  it("ends Errored when Stagecoach has no Argo CD connection", async () => {
    await expect(run({ apps: [{ name: "web" }] }, argoStepEnv({ clock: steppedClock() }))).rejects.toMatchObject({ phase: "Errored", message: expect.stringContaining("set ARGOCD_SERVER and ARGOCD_TOKEN") });
  });

  it("lets the runner retry when Argo CD is unreachable", async () => {
    const offline = createArgoCdClient({ server: "http://127.0.0.1:9", token: "t" });
    const error = await run({ apps: [{ name: "web" }] }, argoStepEnv({ argocd: offline, clock: steppedClock() })).catch((e: unknown) => e);
    await offline.close();
    expect(error).not.toBeInstanceOf(StepFailure);
    expect((error as Error).message).toContain("Cannot reach Argo CD at http://127.0.0.1:9");
  });
});
