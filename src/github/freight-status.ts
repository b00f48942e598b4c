import type { Project } from "../config/index.js";
import type { FreightRecord } from "../freight/types.js";
import type { Freight, FreightStatus } from "../pipeline/types.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

/** The check run on a freight record that says it passed a stage's verification ("verified in dev"). */
export const verifyCheckName = (stage: string) => `stagecoach/verify ${stage}`;
/** The check run on a freight record that says a person approved it for a stage (`/approve`). */
export const approvedCheckName = (stage: string) => `stagecoach/approved ${stage}`;

const VERIFY_PREFIX = verifyCheckName("");
const APPROVED_PREFIX = approvedCheckName("");

interface CheckRunView {
  name: string;
  status: string;
  conclusion: string | null;
  completed_at: string | null;
  app?: { id: number } | null;
}

/**
 * Kargo's `verifiedIn` and `approvedFor`, read from the check runs on a freight's record commit.
 * Only the App's own runs count (GitHub lets only the App that created a check run change it, but
 * any App or workflow could create one with the same name). The first success is when it was
 * verified; a later failed re-verification does not take that back (as in Kargo).
 */
export async function readFreightChecks(client: GitHubClient, repo: RepoRef, commit: string, appId?: number): Promise<Pick<FreightStatus, "verifiedIn" | "approvedFor">> {
  const runs: CheckRunView[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      ...repo,
      ref: commit,
      filter: "all",
      per_page: 100,
      page,
      ...(appId !== undefined ? { app_id: appId } : {}),
    });
    runs.push(...(data.check_runs as CheckRunView[]));
    if (data.check_runs.length < 100) break;
  }
  const verifiedIn: NonNullable<FreightStatus["verifiedIn"]> = {};
  const approvedFor: NonNullable<FreightStatus["approvedFor"]> = {};
  for (const run of runs) {
    if (appId !== undefined && run.app && run.app.id !== appId) continue;
    if (run.status !== "completed" || run.conclusion !== "success" || !run.completed_at) continue;
    if (run.name.startsWith(VERIFY_PREFIX)) keepEarliest(verifiedIn, run.name.slice(VERIFY_PREFIX.length), { verifiedAt: run.completed_at });
    else if (run.name.startsWith(APPROVED_PREFIX)) keepEarliest(approvedFor, run.name.slice(APPROVED_PREFIX.length), { approvedAt: run.completed_at });
  }
  return { ...(Object.keys(verifiedIn).length ? { verifiedIn } : {}), ...(Object.keys(approvedFor).length ? { approvedFor } : {}) };
}

function keepEarliest<T extends { verifiedAt: string } | { approvedAt: string }>(into: Record<string, T>, stage: string, value: T): void {
  const time = (v: T) => ("verifiedAt" in v ? v.verifiedAt : v.approvedAt);
  const existing = into[stage];
  if (!existing || time(value) < time(existing)) into[stage] = value;
}

export interface StageDeployment {
  id: number;
  sha: string;
  stage: string;
  environment: string;
  createdAt: string;
  promotionId?: string;
  freight: { name: string; alias?: string; warehouse?: string };
  /** An auto-promotion hold the promotion behind this deployment put on the stage. */
  hold?: { since: string; reason: string };
}

/** A stage and the GitHub environment its deployments go to (`github.environment`, else its name). */
export interface StageEnvironment {
  name: string;
  environment: string;
}

/** Every stage of a project with its environment, for readStageDeployments. */
export function stageEnvironments(project: Pick<Project, "stages">): StageEnvironment[] {
  return project.stages.map((stage) => ({ name: stage.name, environment: stage.spec.github.environment ?? stage.name }));
}

/** Pages of the repository's deployments read before the stages still missing are asked about one by one. */
const DEPLOYMENT_PAGES = 5;
const PAGE = 100;

/**
 * What each stage of a project runs now: the newest Deployment Stagecoach recorded for it (the
 * payload names project and stage). The repository's deployments are read newest first until
 * every stage is found; a stage that has not been deployed for a long time (other stages and
 * other tools deployed many times since) is then looked up in its own environment, so no stage
 * drops out of the pipeline however many deployments the repository has.
 */
export async function readStageDeployments(client: GitHubClient, repo: RepoRef, project: string, stages: StageEnvironment[] = []): Promise<Map<string, StageDeployment>> {
  const byStage = new Map<string, StageDeployment>();
  const missing = () => stages.filter((s) => !byStage.has(s.name));
  for (let page = 1; page <= DEPLOYMENT_PAGES; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", { ...repo, per_page: PAGE, page });
    collectDeployments(data as DeploymentView[], project, byStage);
    // Without the stage list there is nothing to look for beyond the newest page.
    if (data.length < PAGE || stages.length === 0 || missing().length === 0) return byStage;
  }
  for (const stage of missing()) {
    for (let page = 1; page <= DEPLOYMENT_PAGES && !byStage.has(stage.name); page++) {
      const { data } = await client.request("GET /repos/{owner}/{repo}/deployments", { ...repo, environment: stage.environment, per_page: PAGE, page });
      collectDeployments(data as DeploymentView[], project, byStage);
      if (data.length < PAGE) break;
    }
  }
  return byStage;
}

interface DeploymentView {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
  payload: unknown;
}

function collectDeployments(deployments: DeploymentView[], project: string, byStage: Map<string, StageDeployment>): void {
  for (const deployment of deployments) {
    const payload = (deployment.payload && typeof deployment.payload === "object" ? deployment.payload : {}) as Record<string, unknown>;
    const freight = payload.freight as { name?: unknown; alias?: unknown; warehouse?: unknown } | undefined;
    if (payload.project !== project || typeof payload.stage !== "string" || typeof freight?.name !== "string") continue;
    const known = byStage.get(payload.stage);
    if (known && known.createdAt >= deployment.created_at) continue;
    byStage.set(payload.stage, {
      id: Number(deployment.id),
      sha: deployment.sha,
      stage: payload.stage,
      environment: deployment.environment,
      createdAt: deployment.created_at,
      ...(typeof payload.promotion === "string" ? { promotionId: payload.promotion } : {}),
      ...readHold(payload.autoPromotionHold),
      freight: {
        name: freight.name,
        ...(typeof freight.alias === "string" ? { alias: freight.alias } : {}),
        ...(typeof freight.warehouse === "string" ? { warehouse: freight.warehouse } : {}),
      },
    });
  }
}

function readHold(value: unknown): { hold?: { since: string; reason: string } } {
  const hold = value as { since?: unknown; reason?: unknown } | undefined;
  return typeof hold?.since === "string" && typeof hold.reason === "string" ? { hold: { since: hold.since, reason: hold.reason } } : {};
}

/** Freight with its status, and the record commit its check runs are on. */
export type RecordedFreight = Freight & { commit?: string };

/**
 * One freight record with Kargo's status: `currentlyIn` from the stages' deployments, and — unless
 * `checks` is false — `verifiedIn`/`approvedFor` from the check runs on its record (one call).
 */
export async function withStatus(client: GitHubClient, repo: RepoRef, record: FreightRecord, deployments: Map<string, StageDeployment>, options: { appId?: number; checks?: boolean } = {}): Promise<RecordedFreight> {
  const checks = record.commit && options.checks !== false ? await readFreightChecks(client, repo, record.commit, options.appId) : {};
  const currentlyIn: NonNullable<FreightStatus["currentlyIn"]> = {};
  for (const deployment of deployments.values()) {
    if (deployment.freight.name === record.name) currentlyIn[deployment.stage] = { since: deployment.createdAt };
  }
  return { ...record, status: { ...checks, ...(Object.keys(currentlyIn).length ? { currentlyIn } : {}) } };
}
