import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { loadProject, type Project } from "../../config/index.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readLastGoodConfig } from "../../github/last-good-config.js";
import { createPullRequestService } from "../../github/pull-requests.js";
import { createGitHubConfigSource, githubRepositorySources } from "../../github/read-config-files.js";
import type { FreightReference } from "../../promotion/expressions/index.js";
import {
  createGitHubApiWorkspaceFactory,
  parseGitHubRepoURL,
  runPromotion,
  type PromotionRequest,
  type PromotionState,
  type PromotionStateStore,
} from "../../promotion/index.js";
import type { JobHandler } from "../types.js";

export interface PromoteData {
  installationId: number;
  owner: string;
  repo: string;
  stage: string;
  freight: FreightReference;
  actor?: string;
  [key: string]: unknown;
}

export interface PromoteDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  promotions: PromotionStateStore;
  /** The request each promotion was started with, so the webhook that ends a wait can resume it. */
  requests: Map<string, { data: PromoteData; request: PromotionRequest }>;
  /** Hosts whose repoURLs mean "this GitHub" (github.com, a GHES host). */
  githubHosts: readonly string[];
  clock: Clock;
  onPromotion?(state: PromotionState, data: PromoteData): void;
}

/** The deterministic promotion name, also the state key and (through git-push) the branch suffix. */
export function promotionId(project: string, stage: string, freightName: string): string {
  return `${project}/${stage}/${freightName.slice(0, 12)}`;
}

/**
 * Runs a stage's promotion steps for one freight with the App's installation token: the commit goes
 * through the Git Data API, the pull request through the pulls API. A step that waits (for the pull
 * request to be merged) ends the job; `resume-promotion` continues it when the wait ends.
 */
export function promote(deps: PromoteDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as PromoteData;
    const octokit = await deps.octokitFor(input.installationId);
    const project = await loadRunningConfig(octokit, input.owner, input.repo);
    const stage = project.stages.find((s) => s.name === input.stage);
    if (!stage) throw new Error(`stage "${input.stage}" is not in the config of ${input.owner}/${input.repo}; stages: ${project.stages.map((s) => s.name).join(", ")}`);
    const request: PromotionRequest = {
      id: promotionId(project.name, stage.name, input.freight.name),
      project: project.name,
      stage: stage.name,
      freight: [input.freight],
      actor: input.actor,
      steps: (stage.spec.promotionTemplate?.spec.steps ?? []) as PromotionRequest["steps"],
      vars: stage.spec.promotionTemplate?.spec.vars as PromotionRequest["vars"],
      tasks: Object.fromEntries(project.promotionTasks.map((task) => [task.name, { name: task.name, vars: task.spec.vars, steps: task.spec.steps }])) as PromotionRequest["tasks"],
    };
    deps.requests.set(request.id, { data: input, request });
    const state = await run(deps, octokit, request, log);
    log.info({ promotion: request.id, phase: state.phase, step: state.steps[state.currentStep]?.alias }, `promotion ${request.id}: ${state.phase}`);
    deps.onPromotion?.(state, input);
  };
}

export interface ResumePromotionData {
  installationId: number;
  promotionId: string;
  [key: string]: unknown;
}

/** Continues a waiting promotion (its pull request was merged or closed). */
export function resumePromotion(deps: PromoteDeps): JobHandler {
  return async (data, { log }) => {
    const { installationId, promotionId: id } = data as ResumePromotionData;
    const started = deps.requests.get(id);
    if (!started) {
      log.warn({ promotion: id }, "no running promotion by that name in this process; nothing to resume");
      return;
    }
    const state = await run(deps, await deps.octokitFor(installationId), started.request, log);
    log.info({ promotion: id, phase: state.phase }, `promotion ${id}: ${state.phase}`);
    deps.onPromotion?.(state, started.data);
  };
}

async function run(deps: PromoteDeps, octokit: InstallationOctokit, request: PromotionRequest, log: Logger): Promise<PromotionState> {
  const repoOf = (url: string) => {
    const repo = parseGitHubRepoURL(url, deps.githubHosts);
    if (!repo) throw new Error(`${url} is not a repository on ${deps.githubHosts.join(" or ")}`);
    return repo;
  };
  return runPromotion({
    request,
    store: deps.promotions,
    workspaces: createGitHubApiWorkspaceFactory({ client: octokit, hosts: deps.githubHosts }),
    services: { committer: { name: "Stagecoach", email: "stagecoach@users.noreply.github.com" }, pullRequests: createPullRequestService(octokit, repoOf) },
    clock: deps.clock,
    log,
  });
}

/** The config the App runs: the last good one recorded on GitHub (never a broken newer push). */
export async function loadRunningConfig(octokit: InstallationOctokit, owner: string, repo: string): Promise<Project> {
  const sha = await readLastGoodConfig(octokit, owner, repo);
  if (!sha) throw new Error(`${owner}/${repo} has no valid Stagecoach config yet: push a .github/stagecoach.yml that passes the stagecoach/config check`);
  const result = await loadProject(createGitHubConfigSource(octokit, { owner, repo, ref: sha }), {
    projectName: repo,
    repository: { owner, repo },
    repositories: githubRepositorySources(octokit),
  });
  if (!result.project) throw new Error(`the last good config of ${owner}/${repo} (${sha.slice(0, 7)}) no longer validates`);
  return result.project;
}
