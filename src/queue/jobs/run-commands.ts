import { authorize, formatHelp, parseComment, resolveFreight, type Command } from "../../commands/index.js";
import { postComment, reactToComment, readPermission, teamsOf, type IssueRef } from "../../github/comments.js";
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
  const stageName = command.stage;
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

  if (command.name !== "promote") {
    return `\`/${command.name}\` is understood and @${input.author} may run it, but this Stagecoach does not carry it out yet; nothing was changed.`;
  }
  const upstream = stage.spec.requestedFreight.flatMap((r) => r.sources.stages ?? []);
  const direct = stage.spec.requestedFreight.some((r) => r.sources.direct);
  const candidates = await knownFreight(deps, upstream, direct);
  const scope = direct ? "known to this project" : `promoted to ${upstream.join(" or ")}`;
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

/**
 * Freight this process has promoted: with upstream stages, only what a merged promotion put into
 * one of them (verification is not carried out yet, so a merged upstream promotion is what counts).
 */
async function knownFreight(deps: PromoteDeps, upstream: string[], direct: boolean): Promise<Freight[]> {
  const freight = new Map<string, Freight>();
  for (const { data, request } of deps.requests.values()) {
    const state = await deps.promotions.get(request.id);
    const qualifies = direct || (upstream.includes(data.stage) && state?.phase === "Succeeded");
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
