import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Octokit } from "@octokit/rest";
import type { ScriptedFailure } from "../../src/sandbox/github/index.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { RunningServer } from "../../src/server.js";
import { recordFreight } from "../../src/github/freight-records.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { guestbookConfig, guestbookFiles, pushAndAdoptConfig, waiter } from "../support/e2e.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const CONFIG = guestbookConfig(`
  - name: dev
    from: app
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
    github: { autoMerge: true }
`);
const repo = { owner: "acme", repo: "gitops" };

/** Every kind of call a promotion makes, from reading the stage's files to recording the deployment. */
const CALL_KINDS: Array<{ method: string; path: string }> = [
  { method: "GET", path: "/repos/{owner}/{repo}/contents/{path}" },
  { method: "POST", path: "/repos/{owner}/{repo}/git/blobs" },
  { method: "POST", path: "/repos/{owner}/{repo}/git/trees" },
  { method: "POST", path: "/repos/{owner}/{repo}/git/commits" },
  { method: "POST", path: "/repos/{owner}/{repo}/git/refs" },
  { method: "POST", path: "/repos/{owner}/{repo}/pulls" },
  { method: "POST", path: "/repos/{owner}/{repo}/issues/{issue_number}/labels" },
  { method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}" },
  { method: "POST", path: "/repos/{owner}/{repo}/statuses/{sha}" },
  { method: "PUT", path: "/repos/{owner}/{repo}/pulls/{pull_number}/merge" },
  { method: "POST", path: "/repos/{owner}/{repo}/check-runs" },
  { method: "POST", path: "/repos/{owner}/{repo}/deployments" },
  { method: "POST", path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses" },
];
const ANSWERS: Array<{ name: string; failure: Omit<ScriptedFailure, "method" | "path"> }> = [
  { name: "502", failure: { status: 502 } },
  { name: "429 primary limit", failure: { status: 429, rateLimit: "primary", resetInSeconds: 1 } },
  { name: "403 secondary limit (Retry-After: 1)", failure: { status: 403, rateLimit: "secondary" } },
];

/**
 * GitHub answering 502, a primary rate limit (429) or a secondary limit (403 with Retry-After) on
 * each kind of call a promotion makes: every promotion still ends Succeeded, with one pull request,
 * one merge and one deployment. A wait longer than a worker should hold is said where the person
 * who asked will look, and the promotion carries on by itself.
 */
describe("faults: GitHub errors on each kind of call", { timeout: 600_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let octokit: Octokit;
  let installationId: number;
  const captured = captureLog();
  const states: PromotionState[] = [];
  let wait: ReturnType<typeof waiter>;
  let tags = 0;

  beforeAll(async () => {
    t = await startTestSandbox();
    wait = waiter(t, captured);
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (state) => states.push(state) });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    t.sandbox.createUser("carol");
    t.sandbox.setPermission("acme", "gitops", "carol", "write");
    installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    octokit = await t.installationOctokit(installationId);
    await pushAndAdoptConfig(t, octokit, guestbookFiles(CONFIG, ["dev"]), wait);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  /** Promotes a new tag to dev and waits for it to end; the pull requests and deployments it left. */
  const promoteThrough = async (failure: ScriptedFailure) => {
    const tag = `1.${++tags}.0`;
    const { freight } = await recordFreight(octokit, repo, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag }], createdAt: new Date().toISOString() });
    t.sandbox.failNext(failure);
    await server.queue.enqueue("promote", { installationId, ...repo, stage: "dev", freight: { name: freight.name, alias: freight.alias, origin: freight.origin, images: freight.images } });
    const id = `guestbook/dev/${freight.name.slice(0, 12)}`;
    const ended = await wait(`the promotion of ${tag} to end`, () => states.find((s) => s.id === id && !["Running", "Pending"].includes(s.phase)));
    const pulls = (await octokit.rest.pulls.list({ ...repo, state: "all", per_page: 100 })).data.filter((p) => p.head.ref === `stagecoach/promotion/${id}`);
    const deployments = await wait(`the deployment of ${tag}`, async () => {
      const { data } = await octokit.rest.repos.listDeployments({ ...repo, environment: "dev", per_page: 100 });
      const mine = data.filter((d) => (d.payload as { freight?: { name?: string } }).freight?.name === freight.name);
      return mine.length > 0 ? mine : undefined;
    });
    return { phase: ended.phase, message: ended.message, pulls: pulls.length, merged: pulls.filter((p) => p.merged_at).length, deployments: deployments.length };
  };

  for (const answer of ANSWERS) {
    it.each(CALL_KINDS.map((kind) => [`${kind.method} ${kind.path}`, kind] as const))(`${answer.name} on %s: the promotion succeeds, nothing doubled`, async (_name, kind) => {
      const outcome = await promoteThrough({ ...answer.failure, ...kind });
      expect(outcome).toEqual({ phase: "Succeeded", message: undefined, pulls: 1, merged: 1, deployments: 1 });
    });
  }

  it("hands a wait longer than a worker should hold back to the queue, says so where the person asked, and carries on", async () => {
    const tag = `1.${++tags}.0`;
    const { freight } = await recordFreight(octokit, repo, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag }], createdAt: new Date().toISOString() });
    const { data: issue } = await octokit.rest.issues.create({ ...repo, title: "Release" });
    // More secondary limits in a row than one call waits out inline.
    t.sandbox.failNext({ method: "POST", path: "/repos/{owner}/{repo}/git/trees", status: 403, rateLimit: "secondary", times: 7 });
    t.sandbox.comment({ ...repo, number: issue.number, body: `/promote dev ${freight.alias}`, author: "carol" });
    const said = await wait("the App to say the promotion waits", async () => {
      const { data } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue.number });
      return data.find((c) => c.body?.includes("is waiting: GitHub's secondary rate limit asked Stagecoach to slow down"));
    });
    expect(said.body).toContain("It carries on by itself at");
    const id = `guestbook/dev/${freight.name.slice(0, 12)}`;
    const ended = await wait("the promotion to end", () => states.find((s) => s.id === id && !["Running", "Pending"].includes(s.phase)));
    expect(ended.phase).toBe("Succeeded");
    const pulls = (await octokit.rest.pulls.list({ ...repo, state: "all", per_page: 100 })).data.filter((p) => p.head.ref === `stagecoach/promotion/${id}`);
    expect(pulls.map((p) => Boolean(p.merged_at))).toEqual([true]);
  });
});
