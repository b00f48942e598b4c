import { authorize, formatHelp, parseComment, resolveFreight, type Command } from "../../commands/index.js";
import { postComment, reactToComment, readPermission, teamsOf, type IssueRef } from "../../github/comments.js";
import { listFreight } from "../../github/freight-records.js";
import { readPromotionPullRequest } from "../../github/approvals.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { closePullRequest, listOpenPromotions } from "../../github/open-promotions.js";
import { parsePromotionBranch } from "../../pipeline/promotion-branch.js";
import { renderComment } from "../../render/render-comment.js";
import { latestDeployment } from "../../github/deployments.js";
import type { Freight } from "../../pipeline/types.js";
import type { JobHandler } from "../types.js";
import { loadRunningConfig, type PromoteDeps } from "./promote.js";

export interface RunCommandsData extends IssueRef {
  installationId: number;
  commentId: number;
  body: string;
  author: string;
  [key: string]: unknown;
}

export interface RunCommandsDeps extends PromoteDeps {
  enqueue(name: string, data: Record<string, unknown>): Promise<unknown>;
  verified: Map<string, "passed" | "failed">;
}

/**
 * Slash commands in a comment: acknowledged with a reaction, each checked against the commenter's
 * permission (write access, narrowed by the stage's promoters/approvers), answered with a comment.
 * A refused command changes nothing.
 */
export function runCommands(deps: RunCommandsDeps): JobHandler {
  return async (data, { log }) => {
    const input = data as RunCommandsData;
    const results = parseComment(input.body);
    if (results.length === 0) return;
    const octokit = await deps.octokitFor(input.installationId);
    await reactToComment(octokit, input, input.commentId, "eyes");
    const answers: string[] = [];
    for (const result of results) {
      if (result.kind === "unknown") answers.push(`${result.message}\n\n${result.help}`);
      else if (result.kind !== "command") answers.push(result.message);
      else answers.push(await runOne(deps, octokit, input, result.command));
    }
    await postComment(octokit, input, answers.join("\n\n---\n\n"));
    log.info({ comment: input.commentId, author: input.author, commands: results.length }, "answered slash commands");
  };
}

async function runOne(deps: RunCommandsDeps, octokit: Awaited<ReturnType<PromoteDeps["octokitFor"]>>, input: RunCommandsData, command: Command): Promise<string> {
  if (command.name === "help") return formatHelp();
  const project = await loadRunningConfig(octokit, input.owner, input.repo);
  if (command.name === "status") return statusOf(deps, project.stages.map((s) => s.name));
  const stageName = command.stage ?? (command.name === "abort" ? await stageOfPromotionPullRequest(octokit, input) : undefined);
  if (!stageName) return "Say which stage's promotion to abort: `/abort <stage>` (on a promotion pull request, `/abort` alone means its own).";
  const stage = project.stages.find((s) => s.name === stageName);
  if (!stage) return `There is no stage "${stageName}" in ${project.name}; its stages are ${project.stages.map((s) => `\`${s.name}\``).join(", ")}.`;

  const listed = [...(stage.spec.github?.promoters ?? []), ...(stage.spec.github?.approvers ?? [])].filter((entry) => entry.includes("/"));
  const actor = {
    login: input.author,
    permission: await readPermission(octokit, input.owner, input.repo, input.author),
    teams: await teamsOf(octokit, input.author, listed),
  };
  const verdict = authorize(command, actor, { name: stage.name, promoters: stage.spec.github?.promoters, approvers: stage.spec.github?.approvers });
  if (!verdict.allowed) return verdict.message;

  if (command.name === "abort") return abortPromotions(octokit, input, project.name, stage.name);
  if (command.name === "reverify") return reverify(deps, octokit, input, project.name, stage.name, stage.spec.github.environment ?? stage.name);
  if (command.name !== "promote") {
    return `\`/${command.name}\` is understood and @${input.author} may run it, but this Stagecoach does not carry it out yet; nothing was changed.`;
  }
  const upstream = stage.spec.requestedFreight.flatMap((r) => r.sources.stages ?? []);
  const directOrigins = stage.spec.requestedFreight.filter((r) => r.sources.direct).map((r) => r.origin.name);
  const direct = directOrigins.length > 0;
  const candidates = direct
    ? // Freight straight from a warehouse: what is recorded on GitHub (refs/stagecoach/freight/<project>).
      (await listFreight(octokit, { owner: input.owner, repo: input.repo }, project.name))
        .filter((f) => directOrigins.includes(f.origin.name))
        .map(({ commit: _commit, ...record }): Freight => ({ ...record, status: {} }))
    : await knownFreight(deps, upstream);
  const scope = direct ? "known to this project" : `verified in ${upstream.join(" or ")}`;
  let freight: Freight | undefined;
  if (command.freight) {
    const resolved = resolveFreight(command.freight, candidates, scope);
    if (!resolved.ok) return resolved.message;
    freight = resolved.freight;
  } else {
    freight = candidates.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (!freight) return `No freight is ${scope} yet, so there is nothing to promote to ${stage.name}.`;
  }
  const { createdAt: _createdAt, status: _status, ...reference } = freight;
  await deps.enqueue("promote", { installationId: input.installationId, owner: input.owner, repo: input.repo, stage: stage.name, freight: reference, actor: input.author });
  return `@${input.author} started the promotion of ${freight.alias ?? freight.name.slice(0, 7)} to ${stage.name}; its pull request follows.`;
}

/** The stage a comment's pull request promotes to, when the comment is on a promotion pull request. */
async function stageOfPromotionPullRequest(octokit: InstallationOctokit, input: RunCommandsData): Promise<string | undefined> {
  try {
    const pull = await readPromotionPullRequest(octokit, { owner: input.owner, repo: input.repo }, input.issueNumber);
    return parsePromotionBranch(pull.headRef)?.stage;
  } catch (error) {
    // An issue, not a pull request.
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * `/abort <stage>`: closes the stage's open promotion pull requests, which ends their promotions as
 * Aborted (each pull request then says so). A promotion already merged cannot be taken back this way.
 */
async function abortPromotions(octokit: InstallationOctokit, input: RunCommandsData, project: string, stage: string): Promise<string> {
  const repo = { owner: input.owner, repo: input.repo };
  const open = (await listOpenPromotions(octokit, repo, project, await listFreight(octokit, repo, project))).filter((p) => p.stage === stage);
  if (open.length === 0) return `Nothing to abort: no promotion to ${stage} is waiting on an open pull request. (A merged promotion is undone with \`/rollback ${stage}\`.)`;
  for (const promotion of open) await closePullRequest(octokit, repo, promotion.pullRequest);
  return open.map((p) => `${renderComment("aborting", { actor: input.author, stage, alias: p.freight.alias ?? p.freight.name.slice(0, 12) })} (#${p.pullRequest} closed)`).join("\n");
}

/**
 * `/reverify <stage>`: runs the stage's verification again for what its newest deployment says
 * runs there (the freight in the deployment's payload, on the deployed commit).
 */
async function reverify(deps: RunCommandsDeps, octokit: InstallationOctokit, input: RunCommandsData, project: string, stage: string, environment: string): Promise<string> {
  const repo = { owner: input.owner, repo: input.repo };
  const deployment = await latestDeployment(octokit, repo, environment);
  if (!deployment?.freight) return `Nothing to verify: Stagecoach has recorded no deployment to ${stage} (environment \`${environment}\`) yet.`;
  const recorded = (await listFreight(octokit, repo, project)).find((f) => f.name === deployment.freight!.name);
  const started = [...deps.requests.values()].find((r) => r.data.freight.name === deployment.freight!.name);
  const freight = recorded
    ? (({ createdAt: _createdAt, commit: _commit, ...reference }) => reference)(recorded)
    : (started?.data.freight ?? { name: deployment.freight.name, ...(deployment.freight.alias ? { alias: deployment.freight.alias } : {}), origin: { kind: "Warehouse", name: deployment.freight.warehouse ?? "" } });
  await deps.enqueue("verify-stage", {
    installationId: input.installationId,
    owner: input.owner,
    repo: input.repo,
    stage,
    promotionId: deployment.promotionId ?? `${project}/${stage}/${freight.name.slice(0, 12)}`,
    freight,
    sha: deployment.sha,
    deploymentId: deployment.id,
  });
  return renderComment("reverifying", { actor: input.author, stage, alias: freight.alias ?? freight.name.slice(0, 12) });
}

/**
 * Freight available from upstream stages: what a promotion run by this process put into one of
 * them and what then passed that stage's verification.
 */
async function knownFreight(deps: RunCommandsDeps, upstream: string[]): Promise<Freight[]> {
  const freight = new Map<string, Freight>();
  for (const { data, request } of deps.requests.values()) {
    const state = await deps.promotions.get(request.id);
    const qualifies = upstream.includes(data.stage) && state?.phase === "Succeeded" && deps.verified.get(request.id) === "passed";
    if (!qualifies) continue;
    const existing = freight.get(data.freight.name);
    const since = state?.finishedAt ?? state?.startedAt ?? new Date(0).toISOString();
    freight.set(data.freight.name, { ...data.freight, createdAt: existing?.createdAt ?? since, status: {} });
  }
  return [...freight.values()];
}

async function statusOf(deps: PromoteDeps, stages: string[]): Promise<string> {
  const rows: string[] = [];
  for (const stage of stages) {
    const latest = [...deps.requests.values()].filter((r) => r.data.stage === stage).at(-1);
    const state = latest && (await deps.promotions.get(latest.request.id));
    rows.push(`| ${stage} | ${latest ? `${latest.data.freight.alias ?? latest.data.freight.name.slice(0, 7)}: ${state?.phase ?? "queued"}` : "—"} |`);
  }
  return ["| stage | latest promotion |", "|---|---|", ...rows].join("\n");
}
