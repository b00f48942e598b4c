import { createHash } from "node:crypto";
import { recordFreight } from "../../../src/github/freight-records.js";
import type { FaultHarness, KillPoint } from "./fault-harness.js";

export type Fault = "kill once" | "kill twice" | "flush redis";

/** What one scenario left on GitHub, counted: 1 of each is right, 0 is lost, 2 is doubled. */
export interface ScenarioOutcome {
  scenario: string;
  pullRequests: number;
  merged: number;
  promotionCommits: number;
  mergeCommits: number;
  deployments: number;
  deploymentSucceeded: boolean;
  /** From the App being back (restart, or the flush) to the promotion's next milestone. */
  recoveryMs: number;
}

interface Pull {
  number: number;
  merged_at: string | null;
  head: { ref: string; sha: string };
  user: { login: string; type: string } | null;
  merge_commit_sha: string | null;
}

/**
 * One promotion to dev, asked for with `/promote dev` by carol, interrupted at `point` by `fault`,
 * then carried to the end: a person merges the pull request, CI reports `ci/smoke` green on the
 * merged commit, the deployment turns success. Everything is counted from GitHub.
 */
export async function runFaultScenario(h: FaultHarness, point: KillPoint, fault: Fault): Promise<ScenarioOutcome> {
  const { repo, base } = await h.newRepository();
  const at = { owner: "acme", repo };
  const tag = `1.${createHash("sha1").update(`${repo}${point.name}${fault}`).digest()[0]!}.0`;
  await recordFreight(h.octokit, at, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag, digest: `sha256:${"0".repeat(64)}` }], createdAt: new Date().toISOString() });
  const { data: issue } = await h.octokit.rest.issues.create({ ...at, title: "Release" });

  let faultAt: number | undefined;
  h.arm(point, repo, async () => {
    faultAt = Date.now();
    if (fault === "flush redis") await h.flushRedis();
    else await h.app.kill();
  });
  const appPulls = async () => ((await h.octokit.rest.pulls.list({ ...at, state: "all", per_page: 100 })).data as Pull[]).filter((p) => p.user?.type === "Bot" && p.head.ref.startsWith("stagecoach/promotion/"));
  const mergeAsCarol = async () => {
    const [pull] = await appPulls();
    if (pull && !pull.merged_at) await h.t.sandbox.mergePullRequest({ ...at, number: pull.number, by: "carol" });
  };
  const mergedCommit = async () => (await appPulls()).find((p) => p.merged_at)?.merge_commit_sha ?? undefined;
  const reportSmoke = async () => {
    const sha = await mergedCommit();
    if (sha) await h.carol.rest.repos.createCommitStatus({ ...at, sha, state: "success", context: "ci/smoke" });
  };
  const deployments = async () => (await h.octokit.rest.repos.listDeployments({ ...at, environment: "dev", per_page: 100 })).data;
  const deploymentSucceeded = async () => {
    const [deployment] = await deployments();
    if (!deployment) return false;
    const { data } = await h.octokit.rest.repos.listDeploymentStatuses({ ...at, deployment_id: deployment.id });
    return data.some((s) => s.state === "success");
  };

  h.t.sandbox.comment({ ...at, number: issue.number, body: "/promote dev", author: "carol" });
  // Verification starts after the merge: for that point, carol merges as soon as there is something to merge.
  await h.wait(`the promotion to reach "${point.name}"`, async () => {
    if (point.whileDown === "report" && faultAt === undefined) await mergeAsCarol();
    return faultAt;
  });

  let backAt = faultAt!;
  if (point.whileDown === "merge") await mergeAsCarol();
  if (point.whileDown === "report") await reportSmoke();
  if (fault !== "flush redis") {
    if (fault === "kill twice") {
      // The App's next request for this repository after it is back, whatever it is: the job dies again mid-way.
      h.t.sandbox.interceptNext({ path: `/repos/acme/${repo}/`, when: "before", hook: () => h.app.kill() });
      await h.app.start();
      await h.wait("the second crash", () => !h.app.running);
    }
    await h.app.start();
    backAt = Date.now();
  }

  // The milestone after the point: the pull request waiting (with its checkpoint), the merge landed as a deployment, or verified.
  const milestone =
    point.whileDown === "merge"
      ? async () => (await deployments()).length > 0
      : point.whileDown === "report"
        ? deploymentSucceeded
        : async () => {
            const [pull] = await appPulls();
            if (!pull) return false;
            const { data } = await h.octokit.rest.checks.listForRef({ ...at, ref: pull.head.sha, check_name: "stagecoach/promotion dev" });
            return data.check_runs.some((r) => r.status === "completed");
          };
  await h.wait(`the promotion to pass "${point.name}" again`, milestone);
  const recoveryMs = Date.now() - backAt;

  await h.wait("the App's pull request", async () => (await appPulls()).length > 0);
  await mergeAsCarol();
  await h.wait("the merge", mergedCommit);
  await reportSmoke();
  await h.wait("the deployment to succeed", deploymentSucceeded);

  const pulls = await appPulls();
  const merged = pulls.filter((p) => p.merged_at);
  const branchCommits = merged[0] ? (await h.octokit.rest.repos.compareCommitsWithBasehead({ ...at, basehead: `${base}...${merged[0].head.sha}` })).data.total_commits : 0;
  const { data: history } = await h.octokit.rest.repos.listCommits({ ...at, sha: "main", per_page: 100 });
  const sinceBase = history.slice(0, history.findIndex((c) => c.sha === base));
  return {
    scenario: `${fault} ${point.name}`,
    pullRequests: pulls.length,
    merged: merged.length,
    promotionCommits: branchCommits,
    mergeCommits: sinceBase.filter((c) => c.parents.length > 1).length,
    deployments: (await deployments()).length,
    deploymentSucceeded: await deploymentSucceeded(),
    recoveryMs,
  };
}

/** One line per scenario for the suite's summary (the closing note quotes it). */
export function describeOutcome(outcome: ScenarioOutcome): string {
  const lost = [outcome.pullRequests, outcome.merged, outcome.promotionCommits, outcome.mergeCommits, outcome.deployments].filter((n) => n === 0).length;
  const doubled = [outcome.pullRequests, outcome.merged, outcome.promotionCommits, outcome.mergeCommits, outcome.deployments].filter((n) => n > 1).length;
  return `${outcome.scenario}: lost ${lost}, doubled ${doubled}, recovery ${(outcome.recoveryMs / 1000).toFixed(1)} s`;
}
