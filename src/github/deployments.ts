import type { FreightReference } from "../freight/freight-reference.js";
import type { InstallationOctokit } from "./installations.js";

export interface DeploymentRecord {
  project: string;
  stage: string;
  promotionId: string;
  freight: FreightReference;
  /** The commit the promotion landed on the stage's branch. */
  sha: string;
  /** Who asked for the promotion, when a person did. */
  actor?: string;
  /** The GitHub environment (the stage's `github.environment`, else its name). */
  environment: string;
  /** `in_progress` while verification runs; `success` when there is nothing left to wait for; `failure` when it landed but never became healthy. */
  state: "in_progress" | "success" | "failure";
  /** Set by a rollback or a hand-picked older freight: auto-promotion leaves the stage alone until a person promotes the newest. */
  hold?: { since: string; reason: string };
}

/**
 * Records on GitHub what now runs in a stage: a Deployment to the stage's environment on the
 * landed commit, in progress while it is verified (a success status turns the stage's earlier
 * deployments inactive). The payload carries the freight so tools can read it back.
 */
export async function recordDeployment(octokit: InstallationOctokit, repo: { owner: string; repo: string }, record: DeploymentRecord): Promise<number> {
  const label = record.freight.alias ?? record.freight.name.slice(0, 7);
  const { data } = await octokit.rest.repos.createDeployment({
    ...repo,
    ref: record.sha,
    environment: record.environment,
    task: "deploy",
    // The promotion already passed its own gates; GitHub must not re-judge the commit's statuses.
    required_contexts: [],
    auto_merge: false,
    description: `${label} promoted by Stagecoach${record.actor ? ` for @${record.actor}` : ""}`.slice(0, 140),
    payload: {
      project: record.project,
      stage: record.stage,
      promotion: record.promotionId,
      freight: { name: record.freight.name, ...(record.freight.alias ? { alias: record.freight.alias } : {}), warehouse: record.freight.origin.name },
      ...(record.hold ? { autoPromotionHold: record.hold } : {}),
    },
  });
  if (!("id" in data)) throw new Error(`GitHub did not create a deployment for ${record.stage}: ${String((data as { message?: string }).message ?? "no answer")}`);
  await octokit.rest.repos.createDeploymentStatus({
    ...repo,
    deployment_id: data.id,
    state: record.state,
    description: { success: `${label} is running in ${record.stage}`, in_progress: `${label} is being verified in ${record.stage}`, failure: `${label} landed in ${record.stage} but did not become healthy` }[record.state],
    auto_inactive: true,
  });
  return data.id;
}
