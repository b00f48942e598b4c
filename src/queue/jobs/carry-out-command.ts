import type { ArgoCdClient } from "../../argocd/client.js";
import { COMMAND_ACTIONS, type CommandRequest, type CommandRun } from "../../commands/actions/index.js";
import { authorize, type Command } from "../../commands/index.js";
import type { Project } from "../../config/index.js";
import { readPromotionPullRequest } from "../../github/approvals.js";
import { readPermission, teamsOf } from "../../github/comments.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readPipelineView, type PipelineView } from "../../github/read-pipeline-view.js";
import { parsePromotionBranch } from "../../pipeline/promotion-branch.js";
import type { PromoteDeps } from "./carry-out-promotion.js";

export interface CommandJobDeps extends Pick<PromoteDeps, "octokitFor" | "enqueue" | "clock" | "appId" | "store"> {
  argocd?: ArgoCdClient;
  /** The App's slug (its bot is `<slug>[bot]`), asked of GitHub once and kept. */
  appSlug(): Promise<string>;
}

/** Reads where the pipeline stands the first time a command asks, once per comment or dashboard edit. */
export function pipelineViewOnce(deps: Pick<CommandJobDeps, "appId">, octokit: InstallationOctokit, repo: { owner: string; repo: string }, project: Project): () => Promise<PipelineView> {
  let view: Promise<PipelineView> | undefined;
  return () => (view ??= readPipelineView(octokit, repo, project, deps.appId !== undefined ? { appId: deps.appId } : {}));
}

const NEEDS_NO_STAGE = new Set<Command["name"]>(["help", "status"]);

/**
 * One parsed command, from a comment or a ticked dashboard box: its stage found, the person's
 * permission checked (write access, narrowed by the stage's promoters/approvers), then carried out
 * by its row in the command table. Returns the answer; a refusal changes nothing.
 */
export async function carryOutCommand(deps: CommandJobDeps, octokit: InstallationOctokit, request: CommandRequest, command: Command, project: Project, view: () => Promise<PipelineView>): Promise<string> {
  const run = (stage: CommandRun["stage"]) => (COMMAND_ACTIONS[command.name] as (r: CommandRun) => Promise<string>)({ command, deps, octokit, request, project, stage, view });
  if (NEEDS_NO_STAGE.has(command.name)) return run(undefined);
  const stageName = "stage" in command && command.stage ? command.stage : await stageOfPromotionPullRequest(octokit, request);
  if (!stageName) return "Say which stage's promotion to abort: `/abort <stage>` (on a promotion pull request, `/abort` alone means its own).";
  const stage = project.stages.find((s) => s.name === stageName);
  if (!stage) return `There is no stage "${stageName}" in ${project.name}; its stages are ${project.stages.map((s) => `\`${s.name}\``).join(", ")}.`;
  const { promoters, approvers } = stage.spec.github;
  const teams = [...promoters, ...approvers].filter((entry) => entry.includes("/"));
  const actor = { login: request.author, permission: await readPermission(octokit, request.owner, request.repo, request.author), teams: await teamsOf(octokit, request.author, teams) };
  const verdict = authorize(command, actor, { name: stage.name, promoters, approvers });
  if (!verdict.allowed) return verdict.message;
  return run(stage);
}

/** The stage a comment's pull request promotes to, when the comment is on a promotion pull request. */
async function stageOfPromotionPullRequest(octokit: InstallationOctokit, request: CommandRequest): Promise<string | undefined> {
  try {
    const pull = await readPromotionPullRequest(octokit, { owner: request.owner, repo: request.repo }, request.issueNumber);
    return parsePromotionBranch(pull.headRef)?.stage;
  } catch (error) {
    // An issue, not a pull request.
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
