import type { PullRequestInfo, PullRequestService } from "../promotion/step-support/pull-request-service.js";
import type { PromotionMetadata } from "../records/promotion-metadata.js";
import { withMetadata } from "../render/index.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

export interface PromotionPresentation {
  title: string;
  /** The rendered body, without the metadata block. */
  body: string;
  /** The metadata block's fields; its repository and branch are set where the pull request is opened. */
  metadata: PromotionMetadata;
  labels: string[];
  reviewers: string[];
  /** Team slugs (without the org). */
  teamReviewers: string[];
}

/**
 * The pull request a promotion step opens, dressed as the App presents promotions: title and body
 * from the stage's templates, the metadata block signed for the repository and head branch it is
 * really opened with (so the App recognises it later, and nothing else passes for it), the
 * stage/freight/warehouse labels plus the stage's own and the step's, and the stage's reviewers
 * and teams requested.
 */
export function presentPromotionPullRequests(
  service: PullRequestService,
  client: GitHubClient,
  repoOf: (repoURL: string) => RepoRef,
  present: () => Promise<PromotionPresentation>,
  metadataKey: string | undefined,
): PullRequestService {
  return {
    ...service,
    async create(repoURL, input): Promise<PullRequestInfo> {
      // Worked out only when a pull request is really opened (most runs of a promotion open none).
      const presentation = await present();
      const repo = repoOf(repoURL);
      const metadata = { ...presentation.metadata, repository: `${repo.owner}/${repo.repo}`, branch: input.head };
      const created = await service.create(repoURL, {
        ...input,
        title: presentation.title,
        body: withMetadata(presentation.body, metadata, metadataKey),
        labels: [...new Set([...presentation.labels, ...input.labels])],
      });
      if (presentation.reviewers.length > 0 || presentation.teamReviewers.length > 0) {
        await requestReviews(client, repo, created.number, presentation);
      }
      return created;
    },
  };
}

/**
 * Asks the stage's reviewers and teams for a review. GitHub refuses the whole request (422) when
 * one of them is not a collaborator or is the author; that must not fail the promotion, so the
 * refusal is said on the pull request instead, naming the setting to fix.
 */
async function requestReviews(client: GitHubClient, repo: RepoRef, number: number, presentation: PromotionPresentation): Promise<void> {
  try {
    await client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      ...repo,
      pull_number: number,
      reviewers: presentation.reviewers,
      team_reviewers: presentation.teamReviewers,
    });
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
    const asked = [...presentation.reviewers.map((login) => `@${login}`), ...presentation.teamReviewers.map((team) => `team ${team}`)].join(", ");
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repo,
      issue_number: number,
      body:
        `Stagecoach could not request reviews from ${asked}: GitHub answered "${(error as Error).message}". ` +
        "Reviews can only be requested from collaborators of this repository (and teams with access to it), never from the pull request's author. " +
        "Fix `github.reviewers` / `github.teamReviewers` of this stage in `.github/stagecoach.yml`; the promotion itself goes on.",
    });
  }
}
