import type { ArgoCdClient } from "../argocd/client.js";
import type { Clock } from "../clock.js";
import type { Project, ProjectStage } from "../config/index.js";
import type { FreightReference } from "../freight/freight-reference.js";
import type { IssueRef } from "../github/comments.js";
import type { InstallationOctokit } from "../github/installations.js";
import type { PipelineView } from "../github/read-pipeline-view.js";

/** A slash command after its arguments were checked. Freight stays as typed: resolve it with resolveFreight. */
export type Command =
  | { name: "promote"; stage: string; freight?: string }
  | { name: "approve"; freight: string; stage: string }
  | { name: "rollback"; stage: string; freight?: string }
  | { name: "abort"; stage?: string }
  | { name: "reverify"; stage: string }
  | { name: "status" }
  | { name: "help" };

export type CommandName = Command["name"];

/** Who may run a command: a stage's promoters, its approvers, or anyone who can comment. */
export type Permission = "promoters" | "approvers" | "anyone";

/** One positional argument of a command. */
export interface ArgumentSpec {
  name: string;
  kind: "stage" | "freight";
  optional?: boolean;
}

/**
 * Which stage a command is about: one it names, none (`/status`, `/help`), or the one it names
 * else the stage of the promotion pull request it is written on (`/abort`).
 */
export type StageScope = "named" | "none" | "named-or-pull-request";

/** One row of the command table: what it parses, who may run it, and what it does. Each lives in its own file. */
export interface CommandSpec<C extends Command = Command> {
  name: C["name"];
  /** The right form, shown in usage errors and the help text. */
  usage: string;
  summary: string;
  permission: Permission;
  arguments: ArgumentSpec[];
  stage: StageScope;
  /** Listed in a promotion pull request's body among the commands that apply there. */
  onPromotionPullRequest: boolean;
  /** The command from its arguments, checked and keyed by name. */
  build(values: Record<string, string>): C;
  /** What the actor tried, for refusals: "promote to prod". */
  describe(command: C, stage: string): string;
  /** Carries it out, already authorised for its stage; the answer goes into the App's reply. */
  run(run: CommandRun<C>): Promise<CommandOutcome>;
}

/** Where commands came from (a comment, a ticked dashboard box) and who asked. */
export interface CommandRequest extends IssueRef {
  installationId: number;
  author: string;
  /** Names this request in the jobs it queues, so a redelivered event queues nothing twice. */
  requestKey: string;
}

/** What a command may use besides GitHub. It queues nothing itself: it says what should follow. */
export interface CommandDeps {
  clock: Clock;
  appId?: number;
  argocd?: ArgoCdClient;
  /** Which pull requests are the App's promotions (see recognisePromotionPullRequest). */
  metadataKey: string;
  appSlug(): Promise<string>;
}

/** One parsed command about to be carried out. */
export interface CommandRun<C extends Command = Command> {
  command: C;
  deps: CommandDeps;
  octokit: InstallationOctokit;
  request: CommandRequest;
  project: Project;
  /** The stage the command is about (undefined for a command whose scope is "none"). */
  stage: ProjectStage | undefined;
  /** Where the pipeline stands, read from GitHub once per comment, when a command needs it. */
  view(): Promise<PipelineView>;
}

/** Work a command sets off, carried out by the job layer (the promote job, the verification job). */
export type FollowUp =
  | { kind: "promote"; stage: string; freight: FreightReference; rollback?: boolean; hold?: { since: string; reason: string } }
  | { kind: "reverify"; stage: string; promotionId: string; freight: FreightReference; sha: string; deploymentId: number };

export interface CommandOutcome {
  answer: string;
  followUps?: FollowUp[];
}

/** What one command line in a comment turned out to be. */
export type CommandResult =
  | { kind: "command"; line: string; command: Command }
  | { kind: "unknown"; line: string; name: string; message: string; help: string }
  | { kind: "invalid"; line: string; name: string; message: string; usage: string }
  | { kind: "too-many"; line: string; message: string };
