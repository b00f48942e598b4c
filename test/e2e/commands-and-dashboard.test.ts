import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import type { FreightRecord } from "../../src/freight/types.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { VerificationResult } from "../../src/jobs/verification/judge-pending-verification.js";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const CONFIG = `project: guestbook
repoURL: https://github.com/acme/gitops
warehouses:
  - name: app
    subscriptions:
      - image: { repoURL: ghcr.io/acme/app, constraint: ^1.0.0 }
stages:
  - name: dev
    from: app
    autoPromote: true
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
    github: { autoMerge: true }
  - name: uat
    from: dev
    soak: 2s
    autoPromote: true
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
    github: { autoMerge: true }
  - name: prod
    from: uat
    kustomize: { path: env/prod, image: ghcr.io/acme/app }
    github: { autoMerge: true, approvers: [alice] }
`;
const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";
const repo = { owner: "acme", repo: "gitops" };

/** The commands beyond /promote, and the dashboard issue, carried out by the App from what GitHub records. */
describe("end to end: /rollback, /approve, /reverify, /status, soak times and the dashboard", { timeout: 150_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  let installationId: number;
  let issue: number;
  const states: PromotionState[] = [];
  const verified: VerificationResult[] = [];
  const captured = captureLog();
  const freight = new Map<string, FreightRecord>();

  const waitFor = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = await probe();
      if (found !== undefined && found !== false) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}; log: ${captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 300)).join(" | ")}`);
  };
  const record = async (tag: string) => {
    const { freight: f } = await recordFreight(octokit, repo, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag }], createdAt: new Date().toISOString() });
    freight.set(tag, f);
    return f;
  };
  const alias = (tag: string) => freight.get(tag)!.alias;
  /** Posts a comment as `author` and returns the App's answer to it. */
  const ask = async (author: string, body: string, on = issue) => {
    const before = (await octokit.rest.issues.listComments({ ...repo, issue_number: on, per_page: 100 })).data.length;
    t.sandbox.comment({ ...repo, number: on, body, author });
    return waitFor(`an answer to "${body}"`, async () => {
      const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: on, per_page: 100 });
      return data.length >= before + 2 ? (data.at(-1)?.body ?? "") : undefined;
    });
  };
  const succeeded = (stage: string, tag: string, after = 0) =>
    waitFor(`${stage} to run ${tag}`, () => states.slice(after).find((s) => s.phase === "Succeeded" && s.id.startsWith(`guestbook/${stage}/${freight.get(tag)!.name.slice(0, 12)}`)));
  const current = async (stage: string) => {
    const { data } = await octokit.rest.repos.listDeployments({ ...repo, environment: stage, per_page: 1 });
    return data[0] as { sha: string; payload: { freight: { name: string }; autoPromotionHold?: { reason: string } } } | undefined;
  };

  beforeAll(async () => {
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state), onVerified: (result) => verified.push(result) });
    const files: Record<string, string> = { ".github/stagecoach.yml": CONFIG };
    for (const env of ["dev", "uat", "prod"]) Object.assign(files, { [`env/${env}/kustomization.yaml`]: KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    for (const [login, permission] of [["alice", "write"], ["carol", "write"], ["bob", "read"]] as const) {
      t.sandbox.createUser(login);
      t.sandbox.setPermission("acme", "gitops", login, permission);
    }
    installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
    await t.sandbox.pushCommit({ ...repo, branch: "main", files, message: "pipeline", author: "acme" });
    await waitFor("the config to be adopted", async () => {
      const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
      return (await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: "stagecoach/config" })).data.check_runs.find((r) => r.status === "completed");
    });
    issue = (await octokit.rest.issues.create({ ...repo, title: "Releases" })).data.number;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("auto-promotes verified freight downstream only once it has soaked there requiredSoakTime", async () => {
    await record("1.0.1");
    expect(await ask("alice", `/promote dev ${alias("1.0.1")}`)).toContain(`Promoting **${alias("1.0.1")}** to **dev**`);
    await succeeded("dev", "1.0.1");
    const devVerified = await waitFor("dev to be verified", () => verified.find((v) => v.stage === "dev" && v.freight === freight.get("1.0.1")!.name));
    expect(devVerified.outcome).toBe("passed");
    const { data: onFreight } = await octokit.rest.checks.listForRef({ ...repo, ref: freight.get("1.0.1")!.commit!, check_name: "stagecoach/verify dev" });
    const verifiedAt = Date.parse(onFreight.check_runs[0]!.completed_at!);
    const uat = await waitFor("uat to take it after the soak", () => states.find((s) => s.id.includes("/uat/")), 20_000);
    // uat (soak: 2s in dev) started no earlier than two seconds after dev verified it.
    expect(Date.parse(uat.startedAt) - verifiedAt).toBeGreaterThanOrEqual(2_000);
    await succeeded("uat", "1.0.1");
  });

  it("rolls a stage back to the freight it ran before, and holds auto-promotion there", async () => {
    await record("1.1.0");
    expect(await ask("carol", "/promote dev")).toContain(`Promoting **${alias("1.1.0")}** to **dev**. Its pull request follows.`);
    await succeeded("dev", "1.1.0");
    await waitFor("dev to verify 1.1.0", () => verified.find((v) => v.stage === "dev" && v.freight === freight.get("1.1.0")!.name));
    const before = states.length;
    expect(await ask("bob", "/rollback dev")).toContain("@bob cannot roll back dev: it needs write access");
    expect(await ask("alice", "/rollback dev")).toContain(`Rolling **dev** back to **${alias("1.0.1")}**`);
    const rolledBack = await succeeded("dev", "1.0.1", before);
    expect(rolledBack.id).toBe(`guestbook/dev/${freight.get("1.0.1")!.name.slice(0, 12)}-2`);
    expect((await current("dev"))?.payload).toMatchObject({ freight: { name: freight.get("1.0.1")!.name }, autoPromotionHold: { reason: `@alice rolled dev back to ${alias("1.0.1")}` } });
    // New freight arrives: dev would auto-promote it, but the hold keeps dev where alice put it.
    await record("1.2.0");
    await server.queue.enqueue("consider-auto-promotion", { installationId, ...repo, stage: "dev", reason: "test: new freight" });
    await waitFor("the decision", () => captured.lines.find((l) => String(l.msg).startsWith("auto-promotion of dev: auto-promotion is held on dev")));
    expect(states.some((s) => s.id.startsWith(`guestbook/dev/${freight.get("1.2.0")!.name.slice(0, 12)}`))).toBe(false);
    const status = await ask("carol", "/status");
    // No Argo CD Application named for dev: its health is Kargo's NotApplicable.
    expect(status).toContain("## ➖ dev");
    expect(status).toContain(`Running: **${alias("1.0.1")}**`);
    expect(status).toContain(`Auto-promotion is held on **dev**`);
  });

  it("approves freight for a stage by hand, which makes it promotable there but not auto-promoted", async () => {
    const target = alias("1.2.0");
    expect(await ask("bob", `/approve ${target} prod`)).toContain("@bob cannot approve");
    expect(await ask("carol", `/approve ${target} prod`)).toContain("only @alice may");
    expect(await ask("alice", `/promote prod ${target}`)).toContain(`${target} is not available to prod yet`);
    expect(await ask("alice", `/approve ${target} prod`)).toContain(`Approved **${target}** for **prod**`);
    const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: freight.get("1.2.0")!.commit!, check_name: "stagecoach/approved prod" });
    expect(data.check_runs.map((r) => [r.conclusion, r.output.title])).toEqual([["success", `${target} approved for prod by @alice`]]);
    expect(await ask("alice", `/approve ${target} prod`)).toContain("is already approved for **prod**");
    expect(await ask("carol", `/promote prod ${target}`)).toContain(`Promoting **${target}** to **prod**`);
    await succeeded("prod", "1.2.0");
  });

  it("changes nothing twice when GitHub redelivers a comment with a command", async () => {
    const promotionsBefore = new Set(states.map((s) => s.id)).size;
    const statesBefore = states.length;
    const answer = await ask("carol", "/promote uat");
    // A promotion that started ends with a pull request or a word on the issue saying why not: let it end, so only a second answer would count.
    if (answer.includes("Promoting")) await waitFor("the uat promotion to end", () => states.slice(statesBefore).find((s) => s.id.startsWith("guestbook/uat/") && s.phase !== "Running" && s.phase !== "Pending"));
    const delivery = t.sandbox.deliveries().filter((d) => d.event === "issue_comment" && d.body.includes('"/promote uat"')).at(-1)!;
    const comments = async () => (await octokit.rest.issues.listComments({ ...repo, issue_number: issue, per_page: 100 })).data.length;
    const before = await comments();
    t.sandbox.redeliver(delivery.id);
    await t.sandbox.waitForIdle();
    await new Promise((r) => setTimeout(r, 500));
    await t.sandbox.waitForIdle();
    expect(t.sandbox.deliveries().filter((d) => d.id === delivery.id).every((d) => d.status === 202)).toBe(true);
    expect(await comments()).toBe(before);
    // At most the one promotion the first delivery asked for.
    expect(new Set(states.map((s) => s.id)).size - promotionsBefore).toBeLessThanOrEqual(1);
    expect(answer).toMatch(/Promoting|already|not available|No freight/);
  });

  it("verifies a stage again on /reverify, with a new check run on what it runs", async () => {
    const running = (await current("prod"))!;
    const runs = async () => (await octokit.rest.checks.listForRef({ ...repo, ref: running.sha, check_name: "stagecoach/verify prod", filter: "all" })).data.check_runs;
    const before = (await runs()).length;
    expect(await ask("carol", "/reverify prod")).toContain(`Verifying **prod** again with **${alias("1.2.0")}**`);
    await waitFor("the second verification", async () => ((await runs()).filter((r) => r.status === "completed").length > before ? true : undefined));
  });

  it("keeps a dashboard issue whose ticked boxes promote, for people allowed to", async () => {
    const dashboard = await waitFor("the dashboard to show prod running 1.2.0", async () => {
      const { data } = await octokit.rest.issues.listForRepo({ ...repo, labels: "stagecoach:dashboard" });
      return data[0]?.body?.includes(`Running: **${alias("1.2.0")}**`) ? data[0] : undefined;
    });
    expect(dashboard.title).toBe("Stagecoach: promotion dashboard (guestbook)");
    // 1.0.1 was verified in uat, so prod (which runs the hand-approved 1.2.0) may take it.
    const box = `- [ ] <!-- promote:prod:${freight.get("1.0.1")!.name} --> Promote ${alias("1.0.1")} to prod`;
    expect(dashboard.body).toContain(box);
    const tick = async (login: string) => {
      const { data: now } = await octokit.rest.issues.get({ ...repo, issue_number: dashboard.number });
      const token = t.sandbox.createUser(login).token;
      await t.userOctokit(token).rest.issues.update({ ...repo, issue_number: dashboard.number, body: now.body!.replace(box, box.replace("- [ ]", "- [x]")) });
    };
    const answers = async () => (await octokit.rest.issues.listComments({ ...repo, issue_number: dashboard.number })).data.map((c) => c.body ?? "");
    await tick("bob");
    expect(await waitFor("the refusal", async () => (await answers()).find((b) => b.includes("@bob ticked a box")))).toContain("@bob cannot promote to prod");
    // The refused tick does not stay either: the App redraws the issue.
    await waitFor("the redraw after the refusal", async () => ((await octokit.rest.issues.get({ ...repo, issue_number: dashboard.number })).data.body?.includes(box) ? true : undefined));
    const before = states.length;
    await tick("carol");
    expect(await waitFor("the promotion", async () => (await answers()).find((b) => b.includes("@carol ticked a box")))).toContain(`Promoting **${alias("1.0.1")}** to **prod**`);
    await succeeded("prod", "1.0.1", before);
    // Redrawn: the tick does not stay, and prod now runs 1.0.0.
    await waitFor("the redrawn dashboard", async () => {
      const { data } = await octokit.rest.issues.get({ ...repo, issue_number: dashboard.number });
      return !data.body?.includes("- [x]") && data.body?.split("## ").find((section) => section.includes("prod\n"))?.includes(`Running: **${alias("1.0.1")}**`) ? true : undefined;
    });
  });
});
