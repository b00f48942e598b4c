import type { Octokit } from "@octokit/rest";
import { formatDiagnostic, loadProject, type Project } from "../config/index.js";
import type { FreightArtifacts } from "../freight/types.js";
import { getRefCommit, type RepoRef } from "../github/git-data.js";
import { LAST_GOOD_CONFIG_REF } from "../github/last-good-config.js";
import { listPromotionBranchPulls, type PromotionBranchPull } from "../github/list-promotion-branch-pulls.js";
import { createGitHubConfigSource, githubRepositorySources } from "../github/read-config-files.js";
import { readPipelineView } from "../github/read-pipeline-view.js";
import { readRepository } from "../github/read-repository.js";

export interface StageStatus {
  name: string;
  environment: string;
  running?: { freight: string; alias?: string; since: string; commit: string; versions: string[] };
  /** The running freight passed this stage's verification (a `stagecoach/verify <stage>` check run on its record). */
  verified: boolean;
  /** The running freight was approved for this stage by hand (`/approve`). */
  approved: boolean;
  hold?: { since: string; reason: string };
  openPromotions: OpenPromotionLabel[];
}

export interface OpenPromotionLabel {
  number: number;
  url: string;
  freight?: string;
  alias?: string;
  author: string;
  /** Always false: read without the App's key, a promotion pull request is a label, not proof. */
  verified: false;
}

export interface FreightStatusRow {
  id: string;
  alias: string;
  createdAt: string;
  versions: string[];
  verifiedIn: string[];
  approvedFor: string[];
  runningIn: string[];
}

export interface RepositoryStatus {
  repository: string;
  project: string;
  /** Where the config shown came from: the one the App runs, or (before it adopted one) the default branch's. */
  config: { source: "last-good"; commit: string } | { source: "default-branch"; branch: string };
  stages: StageStatus[];
  /** Newest first. */
  freight: FreightStatusRow[];
}

export interface ReadStatusOptions {
  /** Count only check runs of this App (its ID) as verification and approval. */
  appId?: number;
  /** Newest freight to read. */
  limit: number;
}

/** A repository's pipeline as GitHub records it: stages, what they run, freight and open promotion pull requests. */
export async function readRepositoryStatus(octokit: Octokit, repo: RepoRef, options: ReadStatusOptions): Promise<RepositoryStatus> {
  const facts = await readRepository(octokit, repo);
  if (!facts) throw new RepositoryNotFound(`${repo.owner}/${repo.repo}`);
  const { project, config } = await readProject(octokit, repo, facts.defaultBranch);
  const view = await readPipelineView(octokit, repo, project, { limit: options.limit, ...(options.appId !== undefined ? { appId: options.appId } : {}) });
  const pulls = (await listPromotionBranchPulls(octokit, repo)).filter((p) => p.project === project.name);
  const runningIn = (id: string) => [...view.deployments.values()].filter((d) => d.freight.name === id).map((d) => d.stage);
  const freight = view.freight.slice(0, options.limit);
  return {
    repository: `${repo.owner}/${repo.repo}`,
    project: project.name,
    config,
    stages: project.stages.map((stage): StageStatus => {
      const deployment = view.deployments.get(stage.name);
      const record = deployment ? view.freight.find((f) => f.name === deployment.freight.name) : undefined;
      const alias = record?.alias ?? deployment?.freight.alias;
      return {
        name: stage.name,
        environment: stage.spec.github.environment ?? stage.name,
        ...(deployment
          ? { running: { freight: deployment.freight.name, ...(alias ? { alias } : {}), since: deployment.createdAt, commit: deployment.sha, versions: record ? versionsOf(record) : [] } }
          : {}),
        verified: Boolean(record?.status.verifiedIn?.[stage.name]),
        approved: Boolean(record?.status.approvedFor?.[stage.name]),
        ...(deployment?.hold ? { hold: deployment.hold } : {}),
        openPromotions: pulls.filter((p) => p.stage === stage.name).map(toLabel),
      };
    }),
    freight: freight.map((f) => ({
      id: f.name,
      alias: f.alias ?? f.name.slice(0, 7),
      createdAt: f.createdAt,
      versions: versionsOf(f),
      verifiedIn: Object.keys(f.status.verifiedIn ?? {}).sort(),
      approvedFor: Object.keys(f.status.approvedFor ?? {}).sort(),
      runningIn: runningIn(f.name).sort(),
    })),
  };
}

/** The config the App runs (refs/stagecoach/config/last-good), else the default branch's, saying which. */
async function readProject(octokit: Octokit, repo: RepoRef, defaultBranch: string): Promise<{ project: Project; config: RepositoryStatus["config"] }> {
  const lastGood = await getRefCommit(octokit, repo, LAST_GOOD_CONFIG_REF);
  const source = createGitHubConfigSource(octokit, { ...repo, ...(lastGood ? { ref: lastGood } : {}) });
  const result = await loadProject(source, { projectName: repo.repo, repository: repo, repositories: githubRepositorySources(octokit) });
  const where = lastGood ? `the last good config (${lastGood.slice(0, 7)})` : `the default branch (${defaultBranch})`;
  if (result.form === "none") {
    throw new Error(`${repo.owner}/${repo.repo} has no .github/stagecoach.yml or .github/stagecoach/ on ${where}; \`stagecoach init\` writes one from a checkout`);
  }
  if (!result.project) {
    const problems = result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    throw new Error(`the config of ${repo.owner}/${repo.repo} on ${where} does not validate:\n${problems.join("\n")}\nFix it and push; \`stagecoach validate .\` shows the same messages`);
  }
  return { project: result.project, config: lastGood ? { source: "last-good", commit: lastGood } : { source: "default-branch", branch: defaultBranch } };
}

/** GitHub answered 404 for the repository itself: it does not exist, or the token may not see it. */
export class RepositoryNotFound extends Error {
  readonly status = 404;
  constructor(readonly repository: string) {
    super(`${repository} not found`);
  }
}

function toLabel(pull: PromotionBranchPull): OpenPromotionLabel {
  return {
    number: pull.number,
    url: pull.url,
    ...(pull.claims ? { freight: pull.claims.freight, ...(pull.claims.alias ? { alias: pull.claims.alias } : {}) } : {}),
    author: pull.author.login,
    verified: false,
  };
}

/** One short line per artifact: `image:tag`, `repo@commit`, `chart@version`. */
export function versionsOf(freight: FreightArtifacts): string[] {
  return [
    ...(freight.images ?? []).map((i) => `${i.repoURL}:${i.tag}`),
    ...(freight.commits ?? []).map((c) => `${c.repoURL}@${c.tag ?? c.id.slice(0, 7)}`),
    ...(freight.charts ?? []).map((c) => `${c.name ? `${c.repoURL.replace(/\/+$/, "")}/${c.name}` : c.repoURL}@${c.version}`),
  ];
}
