import type { ArgoCdClient } from "../../argocd/client.js";
import type { Clock } from "../../clock.js";
import type { Project } from "../../config/index.js";
import { readPromotionPullRequest } from "../../github/approvals.js";
import { postComment } from "../../github/comments.js";
import { recordDeployment } from "../../github/deployments.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { wasSuperseded } from "../../github/open-promotions.js";
import { listFreight } from "../../github/freight-records.js";
import { readStageDeployments, stageEnvironments, withStatus, type StageDeployment } from "../../github/freight-status.js";
import type { FreightRecord } from "../../freight/types.js";
import { commandsOnPromotionPullRequest } from "../../commands/index.js";
import { presentStagePromotion } from "../../render/present-stage-promotion.js";
import { writePromotionCheckpoint } from "../../github/promotion-checkpoints.js";
import { failVerification } from "../../github/verification.js";
import { presentPromotionPullRequests, type PromotionPresentation } from "../../github/present-promotion-pull-requests.js";
import { createPullRequestService } from "../../github/pull-requests.js";
import type { Logger } from "../../log.js";
import { buildPromotionRequest } from "../../pipeline/build-promotion-request.js";
import type { NetworkPolicy } from "../../network/types.js";
import { createGitHubApiWorkspaceFactory, parseGitHubRepoURL, runPromotion, type PromotionState, type PromotionStateStore } from "../../promotion/index.js";
import { landedCommit } from "../../promotion/landed-commit.js";
import { openedPullRequest } from "../../promotion/opened-pull-request.js";
import { RetryLaterError } from "../../promotion/retry-later-error.js";
import { renderComment } from "../../render/render-comment.js";
import type { KeyValueStore } from "../../queue/key-value-store.js";
import type { Enqueue } from "../job-table.js";
import { promotionKey, savePromotionContext, type PromotionContext } from "./promotion-context.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";


export interface PromoteDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  /** Promotion states of one repository (promotion IDs are unique within a repository only). */
  promotions(repo: { owner: string; repo: string }): PromotionStateStore;
  /** Locks and promotion contexts; Redis with REDIS_URL, so replicas share them. */
  store: KeyValueStore;
  enqueue: Enqueue;
  /** The Argo CD client from the App's settings, for argocd-update / argocd-wait; absent when ARGOCD_SERVER is unset. */
  argocd?: ArgoCdClient;
  /** Hosts whose repoURLs mean "this GitHub" (github.com, a GHES host). */
  githubHosts: readonly string[];
  clock: Clock;
  /** The App's own ID: only its check runs count as checkpoints and verifications. */
  appId?: number;
  /** The App's slug (its bot is `<slug>[bot]`): only pull requests its bot opened are promotions. */
  appSlug(): Promise<string>;
  /** Seals checkpoints so only the App reads them (derived from the webhook secret). */
  checkpointKey: Buffer;
  /** Signs the metadata block of promotion pull requests (derived from the webhook secret). */
  metadataKey: string;
  /** Non-public hosts the http step may reach (the App's settings, never the GitOps repository). */
  network?: NetworkPolicy;
  /** How often a step that waits without a webhook (argocd-wait) looks again (STAGECOACH_POLL_MS). */
  pollMs?: number;
  onPromotion?(state: PromotionState, context: PromotionContext): void;
}

/** Someone told that a promotion waits on GitHub is not told again for this long. */
const WAIT_NOTICE_EVERY_MS = 10 * 60_000;
/** How often a step that waits on something without a webhook (Argo CD) looks again. */
export const WAITING_STEP_POLL_MS = 5_000;
/** A safety net for a pull request whose `closed` delivery never arrived. */
export const PULL_REQUEST_POLL_MS = 15 * 60_000;
/**
 * Runs (or resumes) one promotion's steps with the App's installation token, then does what its
 * new phase calls for: a checkpoint on the pull request it waits on, a later look for a step that
 * waits on something else, a comment when it stops, a Deployment and verification when it lands.
 * The caller holds the stage's lock.
 */
export async function carryOutPromotion(
  deps: PromoteDeps,
  octokit: InstallationOctokit,
  context: PromotionContext,
  project: Project,
  log: Logger,
  known: KnownRecords = {},
): Promise<PromotionState> {
  const stage = project.stages.find((s) => s.name === context.stage);
  if (!stage) throw new Error(`stage "${context.stage}" is not in the config of ${context.owner}/${context.repo} at ${context.configSha.slice(0, 7)}`);
  const request = buildPromotionRequest(project, stage, context.promotionId, context.freight, context.actor, context.rollback);
  const repo = { owner: context.owner, repo: context.repo };
  const states = deps.promotions(repo);
  const before = await states.get(request.id);
  const repoOf = (url: string) => {
    const parsed = parseGitHubRepoURL(url, deps.githubHosts);
    if (!parsed) throw new Error(`${url} is not a repository on ${deps.githubHosts.join(" or ")}`);
    return parsed;
  };
  const pullRequests = createPullRequestService(octokit, repoOf);
  let state: PromotionState;
  try {
    state = await runPromotion({
      request,
      store: states,
      workspaces: createGitHubApiWorkspaceFactory({ client: octokit, hosts: deps.githubHosts }),
      services: {
        committer: { name: "Stagecoach", email: "stagecoach@users.noreply.github.com" },
        ...(deps.argocd ? { argocd: deps.argocd } : {}),
        ...deps.network,
        pullRequests: presentPromotionPullRequests(pullRequests, octokit, repoOf, once(() => presentPromotion(deps, octokit, project, stage, context, known, log)), deps.metadataKey),
      },
      clock: deps.clock,
      log,
    });
  } catch (error) {
    if (!(error instanceof RetryLaterError)) throw error;
    return waitForGitHub(deps, octokit, context, error, log);
  }
  const environment = stage.spec.github.environment ?? stage.name;
  if (state.phase === "Running") await keepWaiting(deps, octokit, context, state, log);
  else if (state.phase !== before?.phase) await announceEnd(deps, octokit, context, state, environment, log);
  log.info({ promotion: request.id, phase: state.phase, step: state.steps[state.currentStep]?.alias }, `promotion ${request.id}: ${state.phase}`);
  if (state.phase !== before?.phase || openedPullRequest(state) !== (before ? openedPullRequest(before) : undefined)) await requestDashboardRefresh(deps, context);
  deps.onPromotion?.(state, context);
  return state;
}

/** What the caller already read from GitHub for this promotion, so it is not read again. */
export interface KnownRecords {
  records?: FreightRecord[];
  deployments?: Map<string, StageDeployment>;
}

/**
 * The pull request's title, body, metadata, labels and reviewers: where the freight is verified
 * and what the stage runs now, from its records on GitHub.
 */
async function presentPromotion(deps: PromoteDeps, octokit: InstallationOctokit, project: Project, stage: Project["stages"][number], context: PromotionContext, known: KnownRecords, log: Logger): Promise<PromotionPresentation> {
  const repo = { owner: context.owner, repo: context.repo };
  const records = known.records ?? (await listFreight(octokit, repo, project.name));
  const deployments = known.deployments ?? (await readStageDeployments(octokit, repo, project.name, stageEnvironments(project)));
  const record = records.find((f) => f.name === context.freight.name);
  const freight = record ? await withStatus(octokit, repo, record, deployments, deps.appId !== undefined ? { appId: deps.appId } : {}) : { ...context.freight, createdAt: deps.clock.now().toISOString(), status: {} };
  const running = records.find((f) => f.name === deployments.get(stage.name)?.freight.name);
  const { presentation, problems } = presentStagePromotion({
    project,
    stage,
    promotionId: context.promotionId,
    freight,
    ...(running ? { current: { ...running, status: {} } } : {}),
    commands: commandsOnPromotionPullRequest(stage.name),
    repository: `${context.owner}/${context.repo}`,
    configSha: context.configSha,
    ...(context.actor ? { actor: context.actor } : {}),
    ...(context.rollback ? { rollback: true } : {}),
    ...(context.hold ? { hold: context.hold } : {}),
  });
  if (problems.length > 0) log.warn({ stage: stage.name, problems }, `stage ${stage.name}: pull request templates do not compile; using the defaults`);
  return presentation;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * GitHub asked the App to wait longer than a worker should (a rate limit's reset, a secondary
 * limit, an outage). The promotion stays at its step; it is picked up again at the time GitHub
 * named, and the person waiting hears once, on the pull request or where they asked, when.
 */
async function waitForGitHub(deps: PromoteDeps, octokit: InstallationOctokit, context: PromotionContext, error: RetryLaterError, log: Logger): Promise<PromotionState> {
  const repo = { owner: context.owner, repo: context.repo };
  const delayMs = Math.max(1_000, error.retryAt.getTime() - deps.clock.now().getTime());
  await deps.enqueue(
    "resume-promotion",
    { installationId: context.installationId, ...repo, promotionId: context.promotionId, stage: context.stage },
    { delayMs, jobId: `github-wait:${promotionKey(context.owner, context.repo, context.promotionId)}:${error.retryAt.getTime()}` },
  );
  log.warn({ promotion: context.promotionId, retryAt: error.retryAt.toISOString() }, `promotion ${context.promotionId} waits for GitHub: ${error.message}`);
  const state = (await deps.promotions(repo).get(context.promotionId)) ?? pendingState(context, deps.clock.now());
  const number = openedPullRequest(state);
  const where = number ?? context.replyTo?.issueNumber;
  const noticeDue = !context.waitNoticeAt || deps.clock.now().getTime() - Date.parse(context.waitNoticeAt) > WAIT_NOTICE_EVERY_MS;
  if (where !== undefined && noticeDue) {
    const label = context.freight.alias ?? context.freight.name.slice(0, 12);
    const at = error.retryAt.toISOString().replace(/\.\d+Z$/, " UTC").replace("T", " ");
    try {
      await postComment(octokit, { ...repo, issueNumber: where }, `The promotion of **${label}** to **${context.stage}** is waiting: ${error.reason} asked Stagecoach to slow down. It carries on by itself at ${at}; nothing is lost and nothing needs doing.`);
      await savePromotionContext(deps.store, { ...context, waitNoticeAt: deps.clock.now().toISOString() });
    } catch (noticeError) {
      log.warn({ promotion: context.promotionId, err: noticeError }, "could not say on GitHub that the promotion waits (GitHub is still busy); it carries on regardless");
    }
  }
  deps.onPromotion?.(state, context);
  return state;
}

/**
 * A promotion that waits: on its pull request, the checkpoint goes on the pull request once (the
 * merge's webhook resumes it, a slow poll is the safety net); on anything else, it looks again soon.
 */
async function keepWaiting(deps: PromoteDeps, octokit: InstallationOctokit, context: PromotionContext, state: PromotionState, log: Logger): Promise<void> {
  const waiting = state.steps[state.currentStep];
  const pullNumber = openedPullRequest(state);
  const resume = { installationId: context.installationId, owner: context.owner, repo: context.repo, promotionId: context.promotionId, stage: context.stage };
  if (waiting?.uses !== "git-wait-for-pr" || !pullNumber) {
    await deps.enqueue("resume-promotion", resume, { delayMs: deps.pollMs ?? WAITING_STEP_POLL_MS });
    return;
  }
  // One poll per interval at most, however many runs end here (the job ID says which interval).
  const nextPoll = Math.floor(deps.clock.now().getTime() / PULL_REQUEST_POLL_MS) + 1;
  const poll = { delayMs: PULL_REQUEST_POLL_MS, jobId: `pr-poll:${promotionKey(context.owner, context.repo, context.promotionId)}:${nextPoll}` };
  if (context.checkpointed) {
    await deps.enqueue("resume-promotion", { ...resume, pullNumber }, poll);
    return;
  }
  const repo = { owner: context.owner, repo: context.repo };
  const pull = await readPromotionPullRequest(octokit, repo, pullNumber);
  const { installationId: _i, owner: _o, repo: _r, requestKey: _k, checkpointed: _c, replyTo: _t, waitNoticeAt: _w, ...recorded } = context;
  try {
    await writePromotionCheckpoint(octokit, repo, pull.headSha, { ...recorded, state }, deps.checkpointKey);
    await savePromotionContext(deps.store, { ...context, checkpointed: true });
  } catch (error) {
    // The promotion goes on without it; only a Redis flush before the merge would then lose it.
    log.warn({ promotion: context.promotionId, err: error }, `could not write the checkpoint of ${context.promotionId} on pull request #${pullNumber}`);
  }
  await deps.enqueue("resume-promotion", { ...resume, pullNumber }, poll);
}

/**
 * A promotion that has just ended: aborted or failed, it says so on its pull request; succeeded,
 * its landed commit becomes a GitHub Deployment in progress and its verification starts. Failing
 * to record the deployment is logged, not fatal: the promotion itself is done.
 */
async function announceEnd(deps: PromoteDeps, octokit: InstallationOctokit, context: PromotionContext, state: PromotionState, environment: string, log: Logger): Promise<void> {
  if (state.phase === "Aborted") return sayAborted(octokit, context, state);
  const sha = landedCommit(state);
  if (state.phase === "Failed" || state.phase === "Errored") {
    // It merged, then Argo CD refused it or it came up Degraded: the stage runs it now, unverified.
    if (sha) await recordFailedLanding(deps, octokit, context, state, sha, environment, log);
    return sayFailed(octokit, context, state);
  }
  if (state.phase !== "Succeeded" || !sha) return;
  const deploymentId = await deploy(octokit, context, sha, environment, "in_progress", log);
  const pullRequest = openedPullRequest(state);
  await deps.enqueue(
    "verify-stage",
    {
      installationId: context.installationId,
      owner: context.owner,
      repo: context.repo,
      stage: context.stage,
      promotionId: context.promotionId,
      freight: context.freight,
      sha,
      ...(deploymentId ? { deploymentId } : {}),
      ...(pullRequest ? { pullRequest } : {}),
    },
    { jobId: `verify:${promotionKey(context.owner, context.repo, context.promotionId)}:${sha}` },
  );
}

/** Records what now runs in the stage as a Deployment; failing to is logged, not fatal (the promotion itself is done). */
async function deploy(octokit: InstallationOctokit, context: PromotionContext, sha: string, environment: string, state: "in_progress" | "failure", log: Logger): Promise<number | undefined> {
  try {
    const id = await recordDeployment(octokit, { owner: context.owner, repo: context.repo }, {
      project: context.project,
      stage: context.stage,
      promotionId: context.promotionId,
      freight: context.freight,
      sha,
      environment,
      state,
      ...(context.actor ? { actor: context.actor } : {}),
      ...(context.hold ? { hold: context.hold } : {}),
    });
    log.info({ promotion: context.promotionId, deployment: id, sha }, `recorded deployment ${id} of ${sha.slice(0, 7)} to ${environment} (${state})`);
    return id;
  } catch (error) {
    log.warn({ promotion: context.promotionId, err: error }, `promotion ${context.promotionId} landed but its GitHub deployment could not be recorded`);
    return undefined;
  }
}

/**
 * A promotion that landed and then failed (Argo CD refused the sync, the app came up Degraded):
 * the stage runs the freight now, so its Deployment says failure, and its verification fails at
 * once — on the merge commit and on the freight — so the freight goes no further.
 */
async function recordFailedLanding(deps: PromoteDeps, octokit: InstallationOctokit, context: PromotionContext, state: PromotionState, sha: string, environment: string, log: Logger): Promise<void> {
  await deploy(octokit, context, sha, environment, "failure", log);
  const repo = { owner: context.owner, repo: context.repo };
  const record = (await listFreight(octokit, repo, context.project)).find((f) => f.name === context.freight.name);
  const step = state.steps.find((s) => s.phase === "Failed" || s.phase === "Errored");
  const label = context.freight.alias ?? context.freight.name.slice(0, 12);
  await failVerification(octokit, repo, context.stage, [sha, ...(record?.commit ? [record.commit] : [])], `${label} failed verification in ${context.stage}`, `- the promotion ${state.phase} at step \`${step?.alias ?? "?"}\` (${step?.uses ?? "?"}) after it landed: ${state.message ?? step?.message ?? "no message"}`);
  await requestDashboardRefresh(deps, context);
}

/** A promotion GitHub held up before its first step was saved: Pending, as far as anyone can tell. */
function pendingState(context: PromotionContext, now: Date): PromotionState {
  return { id: context.promotionId, phase: "Pending", currentStep: 0, steps: [], effects: { freightAliases: {}, freightMetadata: {}, stageMetadata: {} }, startedAt: now.toISOString() };
}

/** A promotion pull request closed without merging: say on it that the promotion stopped, and how to try again. */
async function sayAborted(octokit: InstallationOctokit, context: PromotionContext, state: PromotionState): Promise<void> {
  const number = openedPullRequest(state);
  const repo = { owner: context.owner, repo: context.repo };
  // A superseded pull request already says why it closed and what follows.
  if (!number || (await wasSuperseded(octokit, repo, number))) return;
  const body = renderComment("aborted", { stage: context.stage, alias: context.freight.alias ?? context.freight.name.slice(0, 12) });
  await postComment(octokit, { ...repo, issueNumber: number }, body);
}

/**
 * A promotion that failed: said on its pull request when it opened one (a sync refused, an app
 * Degraded), else where the person who asked was promised one (nothing to promote, a step that
 * failed before the pull request).
 */
async function sayFailed(octokit: InstallationOctokit, context: PromotionContext, state: PromotionState): Promise<void> {
  const opened = openedPullRequest(state);
  const number = opened ?? context.replyTo?.issueNumber;
  if (!number) return;
  const label = context.freight.alias ?? context.freight.name.slice(0, 12);
  const step = state.steps.find((s) => s.phase === "Failed" || s.phase === "Errored");
  const after = opened ? `\n\nThe freight is not verified in ${context.stage}. Fix the cause, then \`/promote ${context.stage} ${label}\` again.` : `\n\nNo pull request was opened, and ${context.stage} is unchanged.`;
  await postComment(
    octokit,
    { owner: context.owner, repo: context.repo, issueNumber: number },
    `The promotion of **${label}** to **${context.stage}** is **${state.phase}**${step ? ` at step \`${step.alias}\` (${step.uses})` : ""}: ${state.message ?? step?.message ?? "no message"}${after}`,
  );
}
