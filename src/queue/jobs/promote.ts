import type { Project } from "../../config/index.js";
import { listFreight } from "../../github/freight-records.js";
import { readStageDeployments, withStatus } from "../../github/freight-status.js";
import type { FreightRecord } from "../../freight/types.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { closeSupersededPromotion, listOpenPromotions } from "../../github/open-promotions.js";
import type { PromotionPresentation } from "../../github/present-promotion-pull-requests.js";
import type { Logger } from "../../log.js";
import { promotionBaseId, type ProjectStage } from "../../pipeline/build-promotion-request.js";
import { supersede } from "../../pipeline/supersede.js";
import type { FreightReference } from "../../promotion/expressions/index.js";
import type { PromotionPhase } from "../../promotion/index.js";
import { presentStagePromotion } from "../../render/present-stage-promotion.js";
import type { JobHandler } from "../types.js";
import { withLock } from "../with-lock.js";
import { carryOutPromotion, readPromotionContext, savePromotionContext, stageLockKey, type PromoteDeps, type PromotionContext } from "./carry-out-promotion.js";
import { readRunningConfig } from "./load-running-config.js";

export interface PromoteData {
  installationId: number;
  owner: string;
  repo: string;
  stage: string;
  freight: FreightReference;
  /** The person who asked (a command, a dashboard tick); absent for auto-promotion. */
  actor?: string;
  /** A `/rollback`: Kargo's `ctx.meta.promotion.rollback`. */
  rollback?: boolean;
  /** Put an auto-promotion hold on the stage with its deployment (a rollback, older freight by hand). */
  hold?: { since: string; reason: string };
  [key: string]: unknown;
}

const TERMINAL: ReadonlySet<PromotionPhase> = new Set(["Succeeded", "Failed", "Errored", "Aborted"]);
/** Promotions of one freight into one stage that a project may start over time (rollbacks and returns). */
const MAX_GENERATIONS = 100;

/**
 * Starts a promotion of one freight into one stage: under the stage's lock, it makes way (closes
 * a stale promotion pull request of the stage, or stands down for a newer one), then runs the
 * stage's steps. A step that waits (for the merge) ends the job; `resume-promotion` continues it.
 */
export function promote(deps: PromoteDeps): JobHandler {
  return async (data, { id: jobId, log }) => {
    const input = data as PromoteData;
    const octokit = await deps.octokitFor(input.installationId);
    const { project, sha } = await readRunningConfig(octokit, input.owner, input.repo, deps.store);
    const stage = project.stages.find((s) => s.name === input.stage);
    if (!stage) {
      log.warn({ stage: input.stage }, `stage "${input.stage}" is not in the config of ${input.owner}/${input.repo}; stages: ${project.stages.map((s) => s.name).join(", ")}; nothing promoted`);
      return;
    }
    await withLock(deps.store, stageLockKey(input.owner, input.repo, stage.name), async () => {
      const claim = await claimPromotion(deps, input, project.name, sha, jobId, log);
      if (!claim) return;
      const repo = { owner: input.owner, repo: input.repo };
      const records = await listFreight(octokit, repo, project.name);
      if (claim.fresh && !(await makeWay(octokit, input, project.name, claim.context.promotionId, records, log))) return;
      const presentation = await presentPromotion(deps, octokit, project, stage, claim.context, records, log);
      await carryOutPromotion(deps, octokit, claim.context, project, log, presentation);
    });
  };
}

/**
 * The promotion this request is: a retry of the same job continues its own; a promotion of the
 * same freight still running is left alone; one that ended before (the freight is coming back
 * after a rollback) makes this a new generation, `<project>/<stage>/<freight>-2` and so on.
 */
async function claimPromotion(deps: PromoteDeps, input: PromoteData, project: string, configSha: string, requestKey: string, log: Logger): Promise<{ context: PromotionContext; fresh: boolean } | undefined> {
  const base = promotionBaseId(project, input.stage, input.freight.name);
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const promotionId = generation === 1 ? base : `${base}-${generation}`;
    const existing = await readPromotionContext(deps.store, promotionId);
    const state = await deps.promotions.get(promotionId);
    if (existing?.requestKey === requestKey) return { context: existing, fresh: !state };
    if (state && !TERMINAL.has(state.phase)) {
      log.info({ promotion: promotionId, phase: state.phase }, `${promotionId} is already under way; this request adds nothing`);
      return undefined;
    }
    if (state) continue;
    const context: PromotionContext = {
      promotionId,
      installationId: input.installationId,
      owner: input.owner,
      repo: input.repo,
      project,
      stage: input.stage,
      freight: input.freight,
      ...(input.actor ? { actor: input.actor } : {}),
      ...(input.rollback ? { rollback: true } : {}),
      ...(input.hold ? { hold: input.hold } : {}),
      configSha,
      requestKey,
    };
    await savePromotionContext(deps.store, context);
    return { context, fresh: true };
  }
  throw new Error(`${base} has been promoted ${MAX_GENERATIONS} times; refusing another generation`);
}

/**
 * One promotion per stage: an open pull request for older freight of the same warehouse (or any
 * unmerged one, when a person asked for this freight) is closed with a comment; the same freight
 * already open, or a newer one, means this promotion does not start.
 */
async function makeWay(octokit: InstallationOctokit, input: PromoteData, project: string, id: string, records: FreightRecord[], log: Logger): Promise<boolean> {
  const repo = { owner: input.owner, repo: input.repo };
  const open = (await listOpenPromotions(octokit, repo, project, records)).filter((p) => p.id !== id);
  const createdAt = records.find((f) => f.name === input.freight.name)?.createdAt ?? new Date().toISOString();
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

/** The pull request's title, body, labels and reviewers, with where the freight is verified and what the stage runs now. */
async function presentPromotion(deps: PromoteDeps, octokit: InstallationOctokit, project: Project, stage: ProjectStage, context: PromotionContext, records: FreightRecord[], log: Logger): Promise<PromotionPresentation> {
  const repo = { owner: context.owner, repo: context.repo };
  const deployments = await readStageDeployments(octokit, repo, project.name);
  const record = records.find((f) => f.name === context.freight.name);
  const freight = record ? await withStatus(octokit, repo, record, deployments, deps.appId !== undefined ? { appId: deps.appId } : {}) : { ...context.freight, createdAt: deps.clock.now().toISOString(), status: {} };
  const running = records.find((f) => f.name === deployments.get(stage.name)?.freight.name);
  const { presentation, problems } = presentStagePromotion({ project, stage, promotionId: context.promotionId, freight, ...(running ? { current: { ...running, status: {} } } : {}) });
  if (problems.length > 0) log.warn({ stage: stage.name, problems }, `stage ${stage.name}: pull request templates do not compile; using the defaults`);
  return presentation;
}
