import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { loadProject, type Project } from "../../config/index.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readLastGoodConfig } from "../../github/last-good-config.js";
import { listFreight } from "../../github/freight-records.js";
import { closeSupersededPromotion, listOpenPromotions, wasSuperseded } from "../../github/open-promotions.js";
import { presentPromotionPullRequests, type PromotionPresentation } from "../../github/present-promotion-pull-requests.js";
import { supersede } from "../../pipeline/supersede.js";
import { createPullRequestService } from "../../github/pull-requests.js";
import { compilePromotionTemplates, DEFAULT_PROMOTION_TEMPLATES, renderPromotionPullRequest } from "../../render/index.js";
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
import { recordDeployment } from "../../github/deployments.js";
import { landedCommit } from "../../promotion/landed-commit.js";
import type { ArgoCdClient } from "../../argocd/client.js";
import { openedPullRequest } from "../../promotion/opened-pull-request.js";
import { postComment } from "../../github/comments.js";
import { renderComment } from "../../render/render-comment.js";

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
  requests: Map<string, { data: PromoteData; request: PromotionRequest; presentation?: PromotionPresentation; environment?: string }>;
  enqueue(name: string, data: Record<string, unknown>, options?: { jobId?: string }): Promise<unknown>;
  /** The Argo CD client from the App's settings, for argocd-update / argocd-wait; absent when ARGOCD_SERVER is unset. */
  argocd?: ArgoCdClient;
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
    if (!(await makeWay(octokit, input, project.name, request.id, log))) return;
    const presentation = presentPromotion(project, stage, request.id, input, deps.clock, log);
    const environment = stage.spec.github.environment ?? stage.name;
    deps.requests.set(request.id, { data: input, request, presentation, environment });
    const state = await oneAtATime(deps, request.id, async () => {
      const before = await deps.promotions.get(request.id);
      const after = await run(deps, octokit, request, log, presentation);
      await recordWhatRuns(deps, octokit, input, request, environment, before, after, log);
      return after;
    });
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
    const octokit = await deps.octokitFor(installationId);
    const state = await oneAtATime(deps, id, async () => {
      const before = await deps.promotions.get(id);
      const after = await run(deps, octokit, started.request, log, started.presentation);
      await recordWhatRuns(deps, octokit, started.data, started.request, started.environment ?? started.request.stage, before, after, log);
      return after;
    });
    log.info({ promotion: id, phase: state.phase }, `promotion ${id}: ${state.phase}`);
    deps.onPromotion?.(state, started.data);
  };
}

/** Promotions running in this process, by ID: the tail of each one's queue of runs. */
const runningPromotions = new WeakMap<PromoteDeps, Map<string, Promise<unknown>>>();

/**
 * Runs of one promotion never overlap: a pull request merged or closed while the job that opened
 * it is still finishing would otherwise resume it concurrently, and the slower run's stale state
 * would be saved last. (One process: promotion state itself lives in this process for now.)
 */
async function oneAtATime<T>(deps: PromoteDeps, id: string, work: () => Promise<T>): Promise<T> {
  let tails = runningPromotions.get(deps);
  if (!tails) runningPromotions.set(deps, (tails = new Map()));
  const previous = tails.get(id) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  const tail = current.catch(() => undefined);
  tails.set(id, tail);
  try {
    return await current;
  } finally {
    if (tails.get(id) === tail) tails.delete(id);
  }
}

async function run(deps: PromoteDeps, octokit: InstallationOctokit, request: PromotionRequest, log: Logger, presentation?: PromotionPresentation): Promise<PromotionState> {
  const repoOf = (url: string) => {
    const repo = parseGitHubRepoURL(url, deps.githubHosts);
    if (!repo) throw new Error(`${url} is not a repository on ${deps.githubHosts.join(" or ")}`);
    return repo;
  };
  return runPromotion({
    request,
    store: deps.promotions,
    workspaces: createGitHubApiWorkspaceFactory({ client: octokit, hosts: deps.githubHosts }),
    services: {
      committer: { name: "Stagecoach", email: "stagecoach@users.noreply.github.com" },
      ...(deps.argocd ? { argocd: deps.argocd } : {}),
      pullRequests: presentation ? presentPromotionPullRequests(createPullRequestService(octokit, repoOf), octokit, repoOf, presentation) : createPullRequestService(octokit, repoOf),
    },
    clock: deps.clock,
    log,
  });
}

/**
 * A promotion that has just succeeded (not one that had already) becomes a GitHub Deployment of
 * its landed commit, in progress, and its verification starts. Failing to record the deployment is
 * logged, not fatal: the promotion itself is done, and verification goes on without it.
 */
async function recordWhatRuns(
  deps: PromoteDeps,
  octokit: InstallationOctokit,
  data: PromoteData,
  request: PromotionRequest,
  environment: string,
  before: PromotionState | undefined,
  state: PromotionState,
  log: Logger,
): Promise<void> {
  if (state.phase === "Aborted" && before?.phase !== "Aborted") return sayAborted(octokit, data, request, state);
  if ((state.phase === "Failed" || state.phase === "Errored") && before?.phase !== state.phase) return sayFailed(octokit, data, request, state);
  if (state.phase !== "Succeeded" || before?.phase === "Succeeded") return;
  const sha = landedCommit(state);
  if (!sha) return;
  let deploymentId: number | undefined;
  try {
    deploymentId = await recordDeployment(octokit, { owner: data.owner, repo: data.repo }, {
      project: request.project,
      stage: request.stage,
      promotionId: request.id,
      freight: data.freight,
      sha,
      environment,
      state: "in_progress",
      ...(data.actor ? { actor: data.actor } : {}),
    });
    log.info({ promotion: request.id, deployment: deploymentId, sha }, `recorded deployment ${deploymentId} of ${sha.slice(0, 7)} to ${environment}`);
  } catch (error) {
    log.warn({ promotion: request.id, err: error }, `promotion ${request.id} succeeded but its GitHub deployment could not be recorded`);
  }
  const pullRequest = openedPullRequest(state);
  await deps.enqueue(
    "verify-stage",
    {
      installationId: data.installationId,
      owner: data.owner,
      repo: data.repo,
      stage: request.stage,
      promotionId: request.id,
      freight: data.freight,
      sha,
      ...(deploymentId ? { deploymentId } : {}),
      ...(pullRequest ? { pullRequest } : {}),
    },
    { jobId: `verify:${request.id}:${sha}` },
  );
}

/** A promotion pull request closed without merging: say on it that the promotion stopped, and how to try again. */
async function sayAborted(octokit: InstallationOctokit, data: PromoteData, request: PromotionRequest, state: PromotionState): Promise<void> {
  const number = openedPullRequest(state);
  // A superseded pull request already says why it closed and what follows.
  if (!number || (await wasSuperseded(octokit, { owner: data.owner, repo: data.repo }, number))) return;
  const body = renderComment("aborted", { stage: request.stage, alias: data.freight.alias ?? data.freight.name.slice(0, 12) });
  await postComment(octokit, { owner: data.owner, repo: data.repo, issueNumber: number }, body);
}

/** A promotion that failed after opening its pull request (a sync refused, an app Degraded): say so there. */
async function sayFailed(octokit: InstallationOctokit, data: PromoteData, request: PromotionRequest, state: PromotionState): Promise<void> {
  const number = openedPullRequest(state);
  if (!number) return;
  const label = data.freight.alias ?? data.freight.name.slice(0, 12);
  const step = state.steps.find((s) => s.phase === "Failed" || s.phase === "Errored");
  await postComment(
    octokit,
    { owner: data.owner, repo: data.repo, issueNumber: number },
    `The promotion of **${label}** to **${request.stage}** is **${state.phase}**${step ? ` at step \`${step.alias}\` (${step.uses})` : ""}: ${state.message ?? step?.message ?? "no message"}\n\nThe freight is not verified in ${request.stage}. Fix the cause, then \`/promote ${request.stage} ${label}\` again.`,
  );
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

/** Title, body (with the metadata block), labels and reviewers of the stage's promotion pull request. */
function presentPromotion(project: Project, stage: Project["stages"][number], id: string, input: PromoteData, clock: Clock, log: Logger): PromotionPresentation {
  const { github } = stage.spec;
  const index = project.stages.indexOf(stage);
  const compiled = compilePromotionTemplates(
    { ...(github.title ? { title: github.title } : {}), ...(github.body ? { body: github.body } : {}) },
    { title: `stages[${index}].github.title`, body: `stages[${index}].github.body` },
  );
  if (!compiled.ok) log.warn({ stage: stage.name, problems: compiled.messages }, `stage ${stage.name}: pull request templates do not compile; using the defaults`);
  const rendered = renderPromotionPullRequest(
    {
      project: project.name,
      stage: stage.name,
      promotionId: id,
      freight: { ...input.freight, createdAt: clock.now().toISOString(), status: {} },
      requiredApprovals: github.requiredApprovals,
      approvers: github.approvers,
    },
    compiled.ok ? compiled.templates : DEFAULT_PROMOTION_TEMPLATES,
  );
  return {
    title: rendered.title,
    body: rendered.body,
    labels: [...rendered.labels, ...github.labels],
    reviewers: github.reviewers,
    teamReviewers: github.teamReviewers.map((team) => team.replace(/^@?[^/]+\//, "")),
  };
}

/**
 * One promotion per stage: an open pull request for older freight of the same warehouse (or any
 * unmerged one, when a person asked for this freight) is closed with a comment; the same freight
 * already open, or a newer one, means this promotion does not start. A re-run of this very
 * promotion is let through (the runner is idempotent).
 */
async function makeWay(octokit: InstallationOctokit, input: PromoteData, project: string, id: string, log: Logger): Promise<boolean> {
  const repo = { owner: input.owner, repo: input.repo };
  const freight = await listFreight(octokit, repo, project);
  const open = (await listOpenPromotions(octokit, repo, project, freight)).filter((p) => p.id !== id);
  const createdAt = freight.find((f) => f.name === input.freight.name)?.createdAt ?? new Date().toISOString();
  const decision = supersede(open, { stage: input.stage, freight: { ...input.freight, createdAt }, manual: Boolean(input.actor) });
  const label = input.freight.alias ?? input.freight.name.slice(0, 7);
  for (const superseded of decision.close) {
    const old = superseded.freight.alias ?? superseded.freight.name.slice(0, 7);
    await closeSupersededPromotion(
      octokit,
      repo,
      superseded.pullRequest,
      `Superseded: freight **${label}** is being promoted to ${input.stage}${input.actor ? ` at @${input.actor}'s request` : " as newer freight"}, so this promotion of ${old} stops here. Its pull request follows.`,
    );
  }
  log.info({ promotion: id, start: decision.start, closed: decision.close.map((p) => p.pullRequest) }, decision.reason);
  return decision.start;
}
