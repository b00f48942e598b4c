import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import type { FreightRecord } from "../../src/freight/types.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { guestbookConfig, guestbookFiles, waiter } from "../support/e2e.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const config = (repo: string) =>
  guestbookConfig(
    `
  - name: dev
    from: app
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
    github: { autoMerge: true }
`,
    repo,
  );

/**
 * A promotion is one freight into one stage of one repository: two repositories that use the same
 * project name and image never share one, and asking again for what a stage already runs ends in
 * a plain answer, never in a failed verification that would block the freight downstream.
 */
describe("end to end: which promotion is which", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  let installationId: number;
  const captured = captureLog();
  const states: Array<{ state: PromotionState; repo: string }> = [];
  let wait: ReturnType<typeof waiter>;
  const freight = new Map<string, FreightRecord>();

  beforeAll(async () => {
    t = await startTestSandbox();
    wait = waiter(t, captured);
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state, context) => states.push({ state, repo: context.repo }) });
    t.sandbox.createUser("carol");
    for (const repo of ["gitops-a", "gitops-b"]) {
      await t.sandbox.createRepo("acme", repo, { files: { "README.md": "# gitops\n" } });
      t.sandbox.setPermission("acme", repo, "carol", "write");
    }
    installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops-a", "gitops-b"]);
    octokit = await t.installationOctokit(installationId);
    for (const repo of ["gitops-a", "gitops-b"]) {
      const sha = await t.sandbox.pushCommit({ owner: "acme", repo, branch: "main", files: guestbookFiles(config(repo), ["dev"]), message: "pipeline", author: "acme" });
      await wait(`${repo}'s config`, async () => (await octokit.rest.checks.listForRef({ owner: "acme", repo, ref: sha, check_name: "stagecoach/config" })).data.check_runs.find((r) => r.status === "completed"));
      const { freight: recorded } = await recordFreight(octokit, { owner: "acme", repo }, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.1.0" }], createdAt: "2026-12-01T10:00:00.000Z" });
      freight.set(repo, recorded);
    }
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const succeeded = (repo: string) => wait(`the promotion in ${repo}`, () => states.find((s) => s.repo === repo && s.state.phase === "Succeeded"));

  it("promotes the same freight of the same project name in two repositories, each on its own", async () => {
    // Same project, same image, same freight ID: the promotion IDs are equal, the promotions are not.
    expect(freight.get("gitops-a")!.name).toBe(freight.get("gitops-b")!.name);
    for (const repo of ["gitops-a", "gitops-b"]) {
      const f = freight.get(repo)!;
      await server.queue.enqueue("promote", { installationId, owner: "acme", repo, stage: "dev", freight: { name: f.name, alias: f.alias, origin: f.origin, images: f.images } });
    }
    const [a, b] = [await succeeded("gitops-a"), await succeeded("gitops-b")];
    expect(a.state.id).toBe(b.state.id);
    for (const repo of ["gitops-a", "gitops-b"]) expect(await t.sandbox.readFile("acme", repo, "main", "env/dev/kustomization.yaml")).toContain("newTag: 1.1.0");
  });

  it("answers a request for what the stage already runs, and leaves the freight's verification alone", async () => {
    const f = freight.get("gitops-a")!;
    const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops-a", title: "Release" });
    t.sandbox.comment({ owner: "acme", repo: "gitops-a", number: issue.number, body: `/promote dev ${f.alias}`, author: "carol" });
    const answer = await wait("the App to say why no pull request follows", async () => {
      const { data } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops-a", issue_number: issue.number });
      return data.find((c) => c.body?.includes("No pull request was opened"));
    });
    expect(answer.body).toContain("nothing to promote");
    const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops-a", ref: f.commit!, check_name: "stagecoach/verify dev", filter: "all" });
    expect(data.check_runs.map((r) => r.conclusion)).not.toContain("failure");
  });
});
