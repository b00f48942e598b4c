import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { recordFreight } from "../../src/github/freight-records.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { RunningServer } from "../../src/server.js";
import type { VerificationResult } from "../../src/jobs/verification/judge-pending-verification.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const CONFIG = readFileSync(new URL("../fixtures/config/good/pipeline/.github/stagecoach.yml", import.meta.url), "utf8");
const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";

/**
 * A stage's promotion run by the App on GitHub: the commit through the Git Data API, a pull request
 * into the stage's branch, and the promotion finishing when a person merges it.
 */
describe("end to end: a promotion becomes a pull request", { timeout: 90_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  const states: PromotionState[] = [];
  const verifications: VerificationResult[] = [];
  const captured = captureLog();
  let alias = "";

  const waitForPhase = async (phase: string, predicate: (s: PromotionState) => boolean = () => true) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = states.find((s) => s.phase === phase && predicate(s));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    const problems = captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 400));
    throw new Error(`no promotion reached ${phase}; saw ${states.map((s) => `${s.phase}:${s.message ?? ""}`).join(", ")}; log: ${problems.join(" | ")}`);
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state), onVerified: (result) => verifications.push(result) });
    t.sandbox.createUser("alice");
    await t.sandbox.createRepo("acme", "gitops", {
      files: { "env/dev/kustomization.yaml": KUSTOMIZATION, "env/dev/deployment.yaml": "kind: Deployment\n", "README.md": "# gitops\n" },
    });
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": CONFIG }, message: "add pipeline", author: "acme" });
    await t.sandbox.waitForIdle();
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("opens a pull request that bumps the image in env/dev, then succeeds once it is merged", async () => {
    const image = { repoURL: "ghcr.io/acme/app", tag: "1.1.0", digest: "sha256:" + "a".repeat(64) };
    const freightName = createHash("sha1").update(`Warehouse/app:${image.repoURL}:${image.tag}@${image.digest}`).digest("hex");
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    // As discovery would: the freight is recorded on GitHub (Kargo's ID), then promoted.
    const { freight: recorded } = await recordFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [image], createdAt: new Date().toISOString() });
    expect(recorded.name).toBe(freightName);
    alias = recorded.alias;
    const deliveriesBefore = t.sandbox.deliveries().length;
    await server.queue.enqueue("promote", {
      installationId: [...t.sandbox.context.store.installations.keys()][0]!,
      owner: "acme",
      repo: "gitops",
      stage: "dev",
      freight: { name: freightName, alias: recorded.alias, origin: { kind: "Warehouse", name: "app" }, images: [image] },
    });
    const waiting = await waitForPhase("Running");
    expect(waiting.steps[waiting.currentStep]?.uses).toBe("git-wait-for-pr");

    const opened = t.sandbox.deliveries().slice(deliveriesBefore).find((d) => d.event === "pull_request" && d.action === "opened");
    const pr = JSON.parse(opened!.body).pull_request as { number: number; head: { ref: string }; base: { ref: string } };
    expect(pr.base.ref).toBe("main");
    expect(pr.head.ref).toBe(`stagecoach/promotion/guestbook/dev/${freightName.slice(0, 12)}`);
    expect(await t.sandbox.readFile("acme", "gitops", pr.head.ref, "env/dev/kustomization.yaml")).toContain(`newTag: 1.1.0`);
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/dev/kustomization.yaml")).toBe(KUSTOMIZATION);

    await t.sandbox.mergePullRequest({ owner: "acme", repo: "gitops", number: pr.number, by: "alice" });
    const done = await waitForPhase("Succeeded");
    expect(done.steps.every((s) => s.phase === "Succeeded")).toBe(true);
    expect(await t.sandbox.readFile("acme", "gitops", "main", "env/dev/kustomization.yaml")).toContain("newTag: 1.1.0");
    // dev configures no verification: the merge is enough, and the freight becomes available to uat.
    const deadline = Date.now() + 30_000;
    while (!verifications.some((v) => v.stage === "dev") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(verifications.find((v) => v.stage === "dev")).toMatchObject({ outcome: "passed", lines: ["- nothing to verify is configured (`github.verify`): the merge is enough"] });
  });

  const commentsOn = async (number: number) => {
    const octokit = await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!);
    const { data } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: number });
    return data.filter((c) => c.user?.login.endsWith("[bot]")).map((c) => c.body ?? "");
  };

  const waitForAnswers = async (number: number) => {
    const deadline = Date.now() + 45_000;
    let answers: string[] = [];
    while (answers.length === 0 && Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      answers = await commentsOn(number);
      await new Promise((r) => setTimeout(r, 50));
    }
    return answers;
  };

  it("refuses /promote from someone without write access, with who may run it, and changes nothing", async () => {
    t.sandbox.createUser("bob");
    const before = states.length;
    const { data: issue } = await (await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!)).rest.issues.create({ owner: "acme", repo: "gitops", title: "Release train" });
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body: "/promote uat", author: "bob" });
    const answers = await waitForAnswers(issue.number);
    expect(answers[0]).toContain("@bob cannot promote");
    expect(answers[0]).toContain("needs write access");
    expect(states.length).toBe(before);
  });

  it("promotes to uat on /promote uat from a writer: the freight merged into dev gets its own pull request", async () => {
    const { data: issue } = await (await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!)).rest.issues.create({ owner: "acme", repo: "gitops", title: "Promote" });
    await t.sandbox.createRepo("acme", "unused").catch(() => undefined);
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { "env/uat/kustomization.yaml": KUSTOMIZATION, "env/uat/deployment.yaml": "kind: Deployment\n" }, message: "uat env", author: "acme" });
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body: "Ship it:\n/promote uat\n\n> /promote prod (quoted, ignored)", author: "alice" });
    const waiting = await waitForPhase("Running", (s) => s.id.includes("/uat/"));
    expect(waiting.steps[waiting.currentStep]?.uses).toBe("git-wait-for-pr");
    const answers = await commentsOn(issue.number);
    expect(answers.at(-1)).toContain(`@alice Promoting **${alias}** to **uat**. Its pull request follows.`);
    expect(answers.join("\n")).not.toContain("prod");
  });

  it("answers an unknown command with the help text", async () => {
    const { data: issue } = await (await t.installationOctokit([...t.sandbox.context.store.installations.keys()][0]!)).rest.issues.create({ owner: "acme", repo: "gitops", title: "Help" });
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body: "/frobnicate dev", author: "alice" });
    const answers = await waitForAnswers(issue.number);
    expect(answers[0]).toContain("Stagecoach commands");
  });
});
