import type { ArgoCdClient } from "../../argocd/client.js";
import type { Clock } from "../../clock.js";
import type { Project } from "../../config/index.js";
import type { IssueRef } from "../../github/comments.js";
import type { InstallationOctokit } from "../../github/installations.js";
import type { PipelineView } from "../../github/read-pipeline-view.js";
import type { ProjectStage } from "../../pipeline/build-promotion-request.js";
import type { EnqueueOptions } from "../../queue/types.js";
import type { Command, CommandName } from "../types.js";

/** Where commands came from (a comment, a ticked dashboard box) and who asked. */
export interface CommandRequest extends IssueRef {
  installationId: number;
  author: string;
  /** Names this request in the jobs it queues, so a redelivered event queues nothing twice. */
  requestKey: string;
}

export interface CommandDeps {
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<unknown>;
  clock: Clock;
  appId?: number;
  /** Which pull requests are the App's promotions (see recognisePromotionPullRequest). */
  metadataKey: string;
  appSlug(): Promise<string>;
  argocd?: ArgoCdClient;
}

/** One command about to be carried out: already parsed and authorised for its stage. */
export interface CommandRun<C extends Command = Command> {
  command: C;
  deps: CommandDeps;
  octokit: InstallationOctokit;
  request: CommandRequest;
  project: Project;
  /** The stage the command names (undefined for /status and /help). */
  stage: ProjectStage | undefined;
  /** Where the pipeline stands, read from GitHub once per comment, when a command needs it. */
  view(): Promise<PipelineView>;
}

/** What a command does; its answer goes into the App's reply comment. */
export type CommandAction<C extends Command = Command> = (run: CommandRun<C>) => Promise<string>;

export type CommandActions = { [N in CommandName]: CommandAction<Extract<Command, { name: N }>> };
