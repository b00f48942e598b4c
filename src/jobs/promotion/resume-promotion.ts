import { readPromotionPullRequest } from "../../github/approvals.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readPromotionCheckpoint } from "../../github/promotion-checkpoints.js";
import type { Logger } from "../../log.js";
import { promotionTrust, recognisePromotionPullRequest } from "../../records/recognise-promotion-pull-request.js";
import type { PromotionMetadata } from "../../records/promotion-metadata.js";
import type { PromotionState } from "../../promotion/index.js";
import { withLock } from "../../queue/with-lock.js";
import { carryOutPromotion, type PromoteDeps } from "./carry-out-promotion.js";
import { readPromotionContext, savePromotionContext, stageLockKey, type PromotionContext } from "./promotion-context.js";
import { loadConfigAt } from "../config/load-running-config.js";
import { listFreight } from "../../github/freight-records.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type ResumePromotionData = JobPayload<"resume-promotion">;

const ENDED = new Set(["Succeeded", "Failed", "Errored", "Aborted"]);

/**
 * Continues a waiting promotion: its pull request was merged or closed, a waiting step is due
 * another look, or GitHub's wait is over. Any replica can do it, even one that never saw the
 * promotion and after Redis lost its state: the pull request says what the promotion is (its
 * signed metadata block) and the checkpoint on its head where it stood. A pull request the App
 * did not open is never a promotion, whatever its branch is called.
 */
export function resumePromotion(deps: PromoteDeps): JobHandlerOf<"resume-promotion"> {
  return async (input, { log }) => {
    const octokit = await deps.octokitFor(input.installationId);
    const repo = { owner: input.owner, repo: input.repo };
    await withLock(
      deps.store,
      stageLockKey(input.owner, input.repo, input.stage),
      async () => {
        const known = await readPromotionContext(deps.store, repo, input.promotionId);
        // Without its state (Redis lost it, or never saw it) the pull request says where the promotion stood.
        const lost = !known || !(await deps.promotions(repo).get(input.promotionId));
        const context = lost && input.pullNumber !== undefined ? ((await recoverFromPullRequest(deps, octokit, input, log)) ?? known) : known;
        if (!context) {
          log.warn({ promotion: input.promotionId }, `no promotion ${input.promotionId} is known here or recorded on a pull request of the App; nothing to resume`);
          return;
        }
        const state = await deps.promotions(repo).get(context.promotionId);
        if (state && ENDED.has(state.phase)) return;
        const project = await loadConfigAt(octokit, context.owner, context.repo, context.configSha);
        await carryOutPromotion(deps, octokit, context, project, log);
      },
      { clock: deps.clock },
    );
  };
}

/**
 * Rebuilds a promotion from its pull request: who, what and where from the signed metadata block;
 * where it stood from the sealed checkpoint on its head when there is one, else from the start
 * (its steps are idempotent: the push finds its commit, the pull request is found, not opened again).
 */
async function recoverFromPullRequest(deps: PromoteDeps, octokit: InstallationOctokit, input: ResumePromotionData, log: Logger): Promise<PromotionContext | undefined> {
  const repo = { owner: input.owner, repo: input.repo };
  const pull = await readPromotionPullRequest(octokit, repo, input.pullNumber as number);
  const recognised = recognisePromotionPullRequest(pull.facts, await promotionTrust(deps, input.owner, input.repo));
  if (!recognised.ok) {
    log.warn({ pull: pull.number }, `pull request ${recognised.reason}; it is not a promotion, nothing resumed`);
    return undefined;
  }
  const { metadata } = recognised;
  if (metadata.promotion !== input.promotionId) return undefined;
  const checkpoint = await readPromotionCheckpoint(octokit, repo, pull.headSha, metadata.stage, deps.appId, deps.checkpointKey);
  const fromCheckpoint = checkpoint?.promotionId === metadata.promotion ? checkpoint : undefined;
  const freight = fromCheckpoint?.freight ?? (await freightOf(octokit, repo, metadata));
  const configSha = fromCheckpoint?.configSha ?? metadata.configSha;
  if (!freight || !configSha) {
    log.warn({ pull: pull.number, promotion: metadata.promotion }, `pull request #${pull.number} names promotion ${metadata.promotion}, but its freight or config commit cannot be found; nothing resumed`);
    return undefined;
  }
  const context: PromotionContext = {
    promotionId: metadata.promotion,
    installationId: input.installationId,
    owner: input.owner,
    repo: input.repo,
    project: metadata.project,
    stage: metadata.stage,
    freight,
    ...(metadata.actor ? { actor: metadata.actor } : {}),
    ...(metadata.rollback ? { rollback: true } : {}),
    ...(metadata.hold ? { hold: metadata.hold } : {}),
    configSha,
    requestKey: `pull-request:${metadata.promotion}`,
    checkpointed: fromCheckpoint !== undefined,
  };
  await savePromotionContext(deps.store, context);
  const states = deps.promotions(repo);
  if (fromCheckpoint && !(await states.get(context.promotionId))) await states.put(fromCheckpoint.state as PromotionState);
  log.info(
    { promotion: context.promotionId, step: fromCheckpoint?.state.steps[fromCheckpoint.state.currentStep]?.alias },
    fromCheckpoint ? `rebuilt promotion ${context.promotionId} from its checkpoint on ${pull.headSha.slice(0, 7)}` : `rebuilt promotion ${context.promotionId} from pull request #${pull.number}; its steps run again from the start`,
  );
  return context;
}

/** The freight a promotion's metadata names, from the project's freight records. */
async function freightOf(octokit: InstallationOctokit, repo: { owner: string; repo: string }, metadata: PromotionMetadata): Promise<PromotionContext["freight"] | undefined> {
  const record = (await listFreight(octokit, repo, metadata.project)).find((f) => f.name === metadata.freight);
  if (!record) return undefined;
  const { createdAt: _createdAt, commit: _commit, ...reference } = record;
  return reference;
}
