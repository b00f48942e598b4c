import { postComment } from "../../github/comments.js";
import { listFreight } from "../../github/freight-records.js";
import type { FreightRecord } from "../../freight/types.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { closeSupersededPromotion, listOpenPromotions } from "../../github/open-promotions.js";
import type { Logger } from "../../log.js";
import { promotionBaseId } from "../../pipeline/build-promotion-request.js";
import { supersede, type SupersedeDecision } from "../../pipeline/supersede.js";
import type { FreightReference } from "../../freight/freight-reference.js";
import type { PromotionPhase, PromotionState } from "../../promotion/index.js";
import { openedPullRequest } from "../../promotion/opened-pull-request.js";
import { RetryLaterError } from "../../promotion/retry-later-error.js";
import { promotionTrust } from "../../records/recognise-promotion-pull-request.js";
import { withLock } from "../../queue/with-lock.js";
import { carryOutPromotion, type PromoteDeps } from "./carry-out-promotion.js";
import { promotionKey, readPromotionContext, savePromotionContext, stageLockKey, type PromotionContext } from "./promotion-context.js";
import { readRunningConfig } from "../config/load-running-config.js";
import type { JobHandlerOf, JobPayload } from "../job-table.js";

export type PromoteData = JobPayload<"promote">;

const TERMINAL: ReadonlySet<PromotionPhase> = new Set(["Succeeded", "Failed", "Errored", "Aborted"]);
/** Promotions of one freight into one stage that a project may start over time (rollbacks and returns). */
const MAX_GENERATIONS = 100;

type Claim =
  | { kind: "start"; context: PromotionContext; fresh: boolean }
  | { kind: "under-way"; promotionId: string; state: PromotionState };

/**
 * Starts a promotion of one freight into one stage: under the stage's lock, it makes way (closes
 * a stale promotion pull request of the stage, or stands down for a newer one), then runs the
 * stage's steps. A step that waits (for the merge) ends the job; `resume-promotion` continues it.
 * Whatever keeps it from opening a pull request is said to the person who asked for one.
 */
export function promote(deps: PromoteDeps): JobHandlerOf<"promote"> {
  return async (input, { id: jobId, lastAttempt, log }) => {
    const requestKey = input.requestKey ?? jobId;
    const octokit = await deps.octokitFor(input.installationId);
    try {
      await promoteUnderLock(deps, octokit, input, requestKey, log);
    } catch (error) {
      if (!(error instanceof RetryLaterError)) {
        // The person was told a pull request follows; if no retry will bring one, say why.
        if (lastAttempt) await tellRequester(octokit, input, `The promotion of ${label(input.freight)} to **${input.stage}** could not be started: ${(error as Error).message}`).catch(() => undefined);
        throw error;
      }
      // GitHub asked to wait before the promotion got going: ask again then, as the same request.
      const delayMs = Math.max(1_000, error.retryAt.getTime() - deps.clock.now().getTime());
      await deps.enqueue("promote", { ...input, requestKey }, { delayMs, jobId: `${requestKey}:after:${error.retryAt.getTime()}` });
      log.warn({ stage: input.stage, retryAt: error.retryAt.toISOString() }, `promotion to ${input.stage} waits for GitHub: ${error.message}`);
    }
  };
}

async function promoteUnderLock(deps: PromoteDeps, octokit: InstallationOctokit, input: PromoteData, requestKey: string, log: Logger): Promise<void> {
  const repo = { owner: input.owner, repo: input.repo };
  const { project, sha } = await readRunningConfig(octokit, input.owner, input.repo, deps.store);
  const stage = project.stages.find((s) => s.name === input.stage);
  if (!stage) {
    const message = `stage "${input.stage}" is not in the config of ${input.owner}/${input.repo}; stages: ${project.stages.map((s) => s.name).join(", ")}; nothing promoted`;
    log.warn({ stage: input.stage }, message);
    await tellRequester(octokit, input, `The promotion to **${input.stage}** did not start: ${message}.`);
    return;
  }
  await withLock(
    deps.store,
    stageLockKey(input.owner, input.repo, stage.name),
    async () => {
      const claim = await claimPromotion(deps, input, project.name, sha, requestKey, log);
      if (claim.kind === "under-way") {
        const number = openedPullRequest(claim.state);
        const waitingOn = number ? `its pull request #${number} waits to be merged` : "it is being carried out";
        await tellRequester(octokit, input, `${label(input.freight)} is already being promoted to **${stage.name}** (\`${claim.promotionId}\`): ${waitingOn}. This request adds nothing.`);
        return;
      }
      const records = await listFreight(octokit, repo, project.name);
      if (claim.fresh) {
        const decision = await makeWay(deps, octokit, input, project.name, claim.context.promotionId, records, log);
        if (!decision.start) {
          await tellRequester(octokit, input, `The promotion of ${label(input.freight)} to **${stage.name}** did not start: ${decision.reason}.`);
          return;
        }
      }
      await carryOutPromotion(deps, octokit, claim.context, project, log, { records });
    },
    { clock: deps.clock },
  );
}

/**
 * The promotion this request is. A retry of the same request continues its own. A promotion of
 * the same freight that waits (on its merge, on Argo CD) is left alone. One that is Pending or
 * Running but not waiting has lost its worker — nobody else can run it while this job holds the
 * stage lock — so this request carries it on. One that ended before (the freight is coming back
 * after a rollback) makes this a new generation, `<project>/<stage>/<freight>-2` and so on.
 */
async function claimPromotion(deps: PromoteDeps, input: PromoteData, project: string, configSha: string, requestKey: string, log: Logger): Promise<Claim> {
  const repo = { owner: input.owner, repo: input.repo };
  const states = deps.promotions(repo);
  const base = promotionBaseId(project, input.stage, input.freight.name);
  for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
    const promotionId = generation === 1 ? base : `${base}-${generation}`;
    const existing = await readPromotionContext(deps.store, repo, promotionId);
    const state = await states.get(promotionId);
    if (existing?.requestKey === requestKey) return { kind: "start", context: existing, fresh: !state };
    if (state && !TERMINAL.has(state.phase)) {
      if (state.waiting) {
        log.info({ promotion: promotionId, phase: state.phase }, `${promotionId} is already under way; this request adds nothing`);
        return { kind: "under-way", promotionId, state };
      }
      if (existing) {
        log.warn({ promotion: promotionId, step: state.steps[state.currentStep]?.alias }, `${promotionId} was left ${state.phase} by a worker that stopped; carrying it on`);
        return { kind: "start", context: existing, fresh: false };
      }
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
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      configSha,
      requestKey,
    };
    await savePromotionContext(deps.store, context);
    return { kind: "start", context, fresh: true };
  }
  throw new Error(`${promotionKey(input.owner, input.repo, base)} has been promoted ${MAX_GENERATIONS} times; refusing another generation`);
}

/**
 * One promotion per stage: an open pull request for older freight of the same warehouse (or any
 * unmerged one, when a person asked for this freight) is closed with a comment; the same freight
 * already open, or a newer one, means this promotion does not start.
 */
async function makeWay(deps: PromoteDeps, octokit: InstallationOctokit, input: PromoteData, project: string, id: string, records: FreightRecord[], log: Logger): Promise<SupersedeDecision> {
  const repo = { owner: input.owner, repo: input.repo };
  const trust = await promotionTrust(deps, input.owner, input.repo);
  const open = (await listOpenPromotions(octokit, repo, project, records, trust)).filter((p) => p.id !== id);
  const createdAt = records.find((f) => f.name === input.freight.name)?.createdAt ?? deps.clock.now().toISOString();
  const decision = supersede(open, { stage: input.stage, freight: { ...input.freight, createdAt }, manual: Boolean(input.actor) });
  for (const superseded of decision.close) {
    const old = superseded.freight.alias ?? superseded.freight.name.slice(0, 7);
    await closeSupersededPromotion(
      octokit,
      repo,
      superseded.pullRequest,
      `Superseded: freight ${label(input.freight)} is being promoted to ${input.stage}${input.actor ? ` at @${input.actor}'s request` : " as newer freight"}, so this promotion of ${old} stops here. Its pull request follows.`,
    );
  }
  log.info({ promotion: id, start: decision.start, closed: decision.close.map((p) => p.pullRequest) }, decision.reason);
  return decision;
}

/** Says to the person who asked (when one did) why no pull request follows. */
async function tellRequester(octokit: InstallationOctokit, input: PromoteData, text: string): Promise<void> {
  if (!input.replyTo) return;
  await postComment(octokit, { owner: input.owner, repo: input.repo, issueNumber: input.replyTo.issueNumber }, text);
}

function label(freight: FreightReference): string {
  return `**${freight.alias ?? freight.name.slice(0, 12)}**`;
}
