import type { ArgoCdClient } from "../../argocd/client.js";
import { authorize, commandSpec, type Command, type CommandRequest, type FollowUp } from "../../commands/index.js";
import type { Project } from "../../config/index.js";
import { readPromotionPullRequest } from "../../github/approvals.js";
import { readPermission, teamsOf } from "../../github/comments.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readPipelineView, type PipelineView } from "../../github/read-pipeline-view.js";
import { promotionTrust, recognisePromotionPullRequest } from "../../records/recognise-promotion-pull-request.js";
import type { PromoteDeps } from "../promotion/carry-out-promotion.js";

export interface CommandJobDeps extends Pick<PromoteDeps, "octokitFor" | "enqueue" | "clock" | "appId" | "store" | "metadataKey" | "appSlug"> {
  argocd?: ArgoCdClient;
  /** The App's slug (its bot is `<slug>[bot]`), asked of GitHub once and kept. */
  appSlug(): Promise<string>;
}

/** Reads where the pipeline stands the first time a command asks, once per comment or dashboard edit. */
export function pipelineViewOnce(deps: Pick<CommandJobDeps, "appId">, octokit: InstallationOctokit, repo: { owner: string; repo: string }, project: Project): () => Promise<PipelineView> {
  let view: Promise<PipelineView> | undefined;
  return () => (view ??= readPipelineView(octokit, repo, project, deps.appId !== undefined ? { appId: deps.appId } : {}));
}

/**
 * One parsed command, from a comment or a ticked dashboard box: its stage found, the person's
 * permission checked (write access, narrowed by the stage's promoters/approvers), then carried out
 * by its row in the command table, and what it sets off queued. Returns the answer; a refusal
 * changes nothing.
 */
export async function carryOutCommand(deps: CommandJobDeps, octokit: InstallationOctokit, request: CommandRequest, command: Command, project: Project, view: () => Promise<PipelineView>): Promise<string> {
  const spec = commandSpec(command.name);
  const run = async (stage: Project["stages"][number] | undefined) => {
    const outcome = await spec.run({ command, deps, octokit, request, project, stage, view });
    for (const followUp of outcome.followUps ?? []) await queueFollowUp(deps, request, followUp);
    return outcome.answer;
  };
  if (spec.stage === "none") return run(undefined);
  const named = "stage" in command ? command.stage : undefined;
  const stageName = named ?? (spec.stage === "named-or-pull-request" ? await stageOfPromotionPullRequest(deps, octokit, request) : undefined);
  if (!stageName) return `Say which stage: \`${spec.usage.replace("[stage]", "<stage>")}\`${spec.stage === "named-or-pull-request" ? " (on a promotion pull request, the stage can be left out)" : ""}.`;
  const stage = project.stages.find((s) => s.name === stageName);
  if (!stage) return `There is no stage "${stageName}" in ${project.name}; its stages are ${project.stages.map((s) => `\`${s.name}\``).join(", ")}.`;
  const { promoters, approvers } = stage.spec.github;
  const teams = [...promoters, ...approvers].filter((entry) => entry.includes("/"));
  const actor = { login: request.author, permission: await readPermission(octokit, request.owner, request.repo, request.author), teams: await teamsOf(octokit, request.author, teams) };
  const verdict = authorize(command, actor, { name: stage.name, promoters, approvers });
  if (!verdict.allowed) return verdict.message;
  return run(stage);
}

/** What a command set off, as the job that does it; once per request and stage, so a redelivered event queues nothing twice. */
async function queueFollowUp(deps: CommandJobDeps, request: CommandRequest, followUp: FollowUp): Promise<void> {
  const at = { installationId: request.installationId, owner: request.owner, repo: request.repo };
  if (followUp.kind === "promote") {
    const { kind: _kind, ...promotion } = followUp;
    // replyTo: the person was told "its pull request follows"; if none follows, the promotion says why there.
    await deps.enqueue("promote", { ...at, ...promotion, actor: request.author, replyTo: { issueNumber: request.issueNumber } }, { jobId: `command:${request.requestKey}:${followUp.rollback ? "rollback" : "promote"}:${followUp.stage}` });
    return;
  }
  const { kind: _kind, ...verification } = followUp;
  await deps.enqueue("verify-stage", { ...at, ...verification }, { jobId: `command:${request.requestKey}:reverify:${followUp.stage}` });
}

/** The stage a comment's pull request promotes to, when the comment is on one of the App's promotion pull requests. */
async function stageOfPromotionPullRequest(deps: CommandJobDeps, octokit: InstallationOctokit, request: CommandRequest): Promise<string | undefined> {
  try {
    const pull = await readPromotionPullRequest(octokit, { owner: request.owner, repo: request.repo }, request.issueNumber);
    const recognised = recognisePromotionPullRequest(pull.facts, await promotionTrust(deps, request.owner, request.repo));
    return recognised.ok ? recognised.metadata.stage : undefined;
  } catch (error) {
    // An issue, not a pull request.
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
