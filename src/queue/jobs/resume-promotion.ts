import { readPromotionPullRequest } from "../../github/approvals.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readPromotionCheckpoint } from "../../github/promotion-checkpoints.js";
import type { Logger } from "../../log.js";
import type { JobHandler } from "../types.js";
import { withLock } from "../with-lock.js";
import { carryOutPromotion, readPromotionContext, savePromotionContext, stageLockKey, type PromoteDeps, type PromotionContext } from "./carry-out-promotion.js";
import { loadConfigAt } from "./load-running-config.js";

export interface ResumePromotionData {
  installationId: number;
  owner: string;
  repo: string;
  promotionId: string;
  stage: string;
  /** The pull request whose merge or close ends the wait, and its head (where the checkpoint is). */
  pullNumber?: number;
  headSha?: string;
  [key: string]: unknown;
}

const ENDED = new Set(["Succeeded", "Failed", "Errored", "Aborted"]);

/**
 * Continues a waiting promotion: its pull request was merged or closed, or a waiting step is due
 * another look. Any replica can do it, even one that never saw the promotion and after Redis lost
 * its state: the checkpoint on the pull request says where it stood.
 */
export function resumePromotion(deps: PromoteDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as ResumePromotionData;
    const octokit = await deps.octokitFor(input.installationId);
    await withLock(deps.store, stageLockKey(input.owner, input.repo, input.stage), async () => {
      const context = (await readPromotionContext(deps.store, input.promotionId)) ?? (await recoverFromCheckpoint(deps, octokit, input, log));
      if (!context) {
        log.warn({ promotion: input.promotionId }, `no promotion ${input.promotionId} is known here or recorded on its pull request; nothing to resume`);
        return;
      }
      const state = await deps.promotions.get(context.promotionId);
      if (state && ENDED.has(state.phase)) return;
      const project = await loadConfigAt(octokit, context.owner, context.repo, context.configSha);
      await carryOutPromotion(deps, octokit, context, project, log);
    });
  };
}

/** Rebuilds a promotion's context and state from the checkpoint check run on its pull request's head. */
async function recoverFromCheckpoint(deps: PromoteDeps, octokit: InstallationOctokit, input: ResumePromotionData, log: Logger): Promise<PromotionContext | undefined> {
  const repo = { owner: input.owner, repo: input.repo };
  const headSha = input.headSha ?? (input.pullNumber ? (await readPromotionPullRequest(octokit, repo, input.pullNumber)).headSha : undefined);
  if (!headSha) return undefined;
  const checkpoint = await readPromotionCheckpoint(octokit, repo, headSha, input.stage, deps.appId, deps.checkpointKey);
  if (!checkpoint || checkpoint.promotionId !== input.promotionId) return undefined;
  const { state, ...recorded } = checkpoint;
  const context: PromotionContext = { ...recorded, installationId: input.installationId, owner: input.owner, repo: input.repo, requestKey: `checkpoint:${checkpoint.promotionId}`, checkpointed: true };
  await savePromotionContext(deps.store, context);
  if (!(await deps.promotions.get(context.promotionId))) await deps.promotions.put(state);
  log.info({ promotion: context.promotionId, step: state.steps[state.currentStep]?.alias }, `rebuilt promotion ${context.promotionId} from its checkpoint on ${headSha.slice(0, 7)}`);
  return context;
}
