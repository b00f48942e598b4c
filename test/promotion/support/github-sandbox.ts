import type { Octokit } from "@octokit/rest";
import { createPullRequestService } from "../../../src/github/pull-requests.js";
import { createGitHubApiWorkspaceFactory } from "../../../src/promotion/workspace/github-api-workspace.js";
import { parseGitHubRepoURL } from "../../../src/promotion/workspace/parse-github-repo-url.js";
import type { StepServices } from "../../../src/promotion/step-definition.js";
import type { WorkspaceFactory } from "../../../src/promotion/workspace/workspace.js";
import { startTestSandbox, type TestSandbox } from "../../support/sandbox.js";

export interface PromotionSandbox {
  test: TestSandbox;
  octokit: Octokit;
  repoURL: string;
  host: string;
  workspaces: WorkspaceFactory;
  services: StepServices;
  /** API calls since the last reset, by endpoint ("METHOD /template"). */
  calls(): Record<string, number>;
  close(): Promise<void>;
}

/** A sandbox with repo acme/gitops holding `files`, the App installed on it, and the promotion wiring. */
export async function startPromotionSandbox(files: Record<string, string>): Promise<PromotionSandbox> {
  const test = await startTestSandbox();
  test.sandbox.createOrg("acme");
  await test.sandbox.createRepo("acme", "gitops", { files });
  const installation = await test.sandbox.installApp(test.app.id, "acme", ["gitops"]);
  const octokit = await test.installationOctokit(installation);
  const host = new URL(test.sandbox.url).host;
  const repoOf = (url: string) => {
    const repo = parseGitHubRepoURL(url, [host]);
    if (!repo) throw new Error(`${url} is not on the sandbox`);
    return repo;
  };
  test.sandbox.resetStats();
  return {
    test,
    octokit,
    repoURL: test.sandbox.gitUrl("acme", "gitops"),
    host,
    workspaces: createGitHubApiWorkspaceFactory({ client: octokit, hosts: [host] }),
    services: { committer: { name: "Stagecoach", email: "stagecoach@example.com" }, pullRequests: createPullRequestService(octokit, repoOf) },
    calls: () => Object.fromEntries(Object.entries(test.sandbox.stats()).map(([key, value]) => [key, value.calls])),
    close: () => test.close(),
  };
}
