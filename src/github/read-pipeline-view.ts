import type { Project } from "../config/index.js";
import { isAutoPromotionEnabled } from "../pipeline/is-auto-promotion-enabled.js";
import { toPipelineStage } from "../pipeline/to-pipeline-stage.js";
import type { PipelineStage } from "../pipeline/types.js";
import { listFreight } from "./freight-records.js";
import { readStageDeployments, stageEnvironments, withStatus, type RecordedFreight, type StageDeployment } from "./freight-status.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

/** Where a project's pipeline stands, read from GitHub alone: what commands, the dashboard and auto-promotion decide on. */
export interface PipelineView {
  /** The newest freight, newest first, each with Kargo's status fields. */
  freight: RecordedFreight[];
  /** Each stage's newest Deployment: what runs there, and any auto-promotion hold. */
  deployments: Map<string, StageDeployment>;
  stages: PipelineStage[];
}

export interface ReadPipelineViewOptions {
  appId?: number;
  /** How many of the newest freight get their status read (one call each). */
  limit?: number;
  /**
   * False: skip the check runs (verifiedIn, approvedFor) and know only what runs where — enough for
   * a stage that takes freight straight from its warehouses.
   */
  withChecks?: boolean;
}

export async function readPipelineView(client: GitHubClient, repo: RepoRef, project: Project, options: ReadPipelineViewOptions = {}): Promise<PipelineView> {
  const records = await listFreight(client, repo, project.name);
  const deployments = await readStageDeployments(client, repo, project.name, stageEnvironments(project));
  // Freight a stage runs is always shown, however old: it is what a rollback starts from.
  const running = new Set([...deployments.values()].map((d) => d.freight.name));
  const limit = options.limit ?? 20;
  const chosen = records.filter((record, index) => index < limit || running.has(record.name));
  const freight: RecordedFreight[] = [];
  for (const record of chosen) freight.push(await withStatus(client, repo, record, deployments, { ...(options.appId !== undefined ? { appId: options.appId } : {}), checks: options.withChecks !== false }));
  return {
    freight,
    deployments,
    stages: project.stages.map((stage) => toPipelineStage(stage, isAutoPromotionEnabled(project, stage.name))),
  };
}
