import { asObject, paginate, type RouteModule, type SandboxContext } from "../context.js";
import { GitHubHttpError, notFound, unprocessable } from "../http-error.js";
import { nodeId, teamJson, userJson } from "../representations.js";
import { PERMISSION_RANK, type Account, type PullRequestState, type RepoState } from "../store.js";
import { pullView, reviewRequests } from "./pulls.js";

export type ReviewEvent = "APPROVE" | "REQUEST_CHANGES" | "COMMENT";
type ReviewStateName = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING" | "DISMISSED";

interface ReviewState {
  id: number;
  repo: string;
  pullNumber: number;
  user: string;
  body: string;
  state: ReviewStateName;
  commitId: string;
  submittedAt: string | null;
}

const STATE_OF_EVENT: Record<ReviewEvent, ReviewStateName> = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };

/**
 * Pull request reviews (Stagecoach's approvals) and requested reviewers, with the
 * `pull_request_review` and `pull_request` (review_requested…) deliveries they cause.
 */
export const reviewRoutes: RouteModule = (context) => {
  const { store } = context;
  const reviews = store.collection<ReviewState>("reviews");
  const pullOr404 = (repo: RepoState, number: string) => {
    const pull = store.pull(repo, Number(number));
    if (!pull) throw notFound();
    return pull;
  };
  const reviewOr404 = (repo: RepoState, pull: PullRequestState, id: string) => {
    const review = reviews.get(id);
    if (!review || review.repo !== fullName(repo) || review.pullNumber !== pull.number) throw notFound();
    return review;
  };

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        const input = asObject(body);
        const event = input.event === undefined ? undefined : String(input.event);
        if (event !== undefined && !(event in STATE_OF_EVENT)) {
          throw unprocessable("Validation Failed", [{ resource: "PullRequestReview", field: "event", code: "invalid" }]);
        }
        const review = await submitReview(context, repo, pull, context.actor(caller), {
          event: event as ReviewEvent | undefined,
          body: typeof input.body === "string" ? input.body : "",
          commitId: typeof input.commit_id === "string" ? input.commit_id : undefined,
        });
        return { status: 200, body: reviewJson(context, repo, review) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        // A pending review is visible only to its author; the App never has one.
        const all = [...reviews.values()].filter((r) => r.repo === fullName(repo) && r.pullNumber === pull.number && r.state !== "PENDING").sort((a, b) => a.id - b.id);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}/reviews`);
        return { status: 200, headers: page.headers, body: page.items.map((r) => reviewJson(context, repo, r)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        return { status: 200, body: reviewJson(context, repo, reviewOr404(repo, pull, params.review_id!)) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        const review = reviewOr404(repo, pull, params.review_id!);
        const actor = context.actor(caller);
        if (review.user.toLowerCase() !== actor.login.toLowerCase()) throw notFound();
        if (review.state !== "PENDING") throw unprocessable("Can not submit a review that is not pending");
        const input = asObject(body);
        const event = String(input.event);
        if (!(event in STATE_OF_EVENT)) throw unprocessable("Validation Failed", [{ resource: "PullRequestReview", field: "event", code: "invalid" }]);
        checkOwnPullRequest(pull, actor, event as ReviewEvent);
        if (typeof input.body === "string") review.body = input.body;
        await completeReview(context, repo, pull, review, event as ReviewEvent);
        return { status: 200, body: reviewJson(context, repo, review) };
      },
    },
    {
      method: "PUT",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const pull = pullOr404(repo, params.pull_number!);
        const review = reviewOr404(repo, pull, params.review_id!);
        const input = asObject(body);
        if (typeof input.message !== "string" || !input.message) throw unprocessable("Validation Failed", [{ resource: "PullRequestReview", field: "message", code: "missing_field" }]);
        if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") throw unprocessable("Can not dismiss a commented pull request review");
        review.state = "DISMISSED";
        context.announce(repo, "pull_request_review", { action: "dismissed", review: reviewJson(context, repo, review, "webhook"), pull_request: await pullView(context, repo, pull) }, context.actor(caller));
        return { status: 200, body: reviewJson(context, repo, review) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const pull = pullOr404(repo, params.pull_number!);
        const requested = reviewRequests(context, repo, pull);
        return {
          status: 200,
          body: { users: requested.requestedReviewers.map((a) => userJson(a, context.baseUrl)), teams: requested.requestedTeams.map((t) => teamJson(t, context.baseUrl)) },
        };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const pull = pullOr404(repo, params.pull_number!);
        const input = asObject(body);
        const logins = stringList(input.reviewers);
        const slugs = stringList(input.team_reviewers);
        const accounts = logins.map((login) => {
          const account = store.account(login);
          if (!account || !isCollaborator(context, repo, login)) {
            throw unprocessable(`Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`);
          }
          if (account.login.toLowerCase() === pull.user.toLowerCase()) throw unprocessable("Review cannot be requested from pull request author.");
          return account;
        });
        const teams = slugs.map((slug) => {
          const team = store.team(repo.owner, slug);
          if (!team || !team.repos.has(fullName(repo))) {
            throw unprocessable(`Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`);
          }
          return team;
        });
        const actor = context.actor(caller);
        for (const account of accounts) {
          pull.requestedReviewers = [...new Set([...(pull.requestedReviewers ?? []), account.login])];
          context.announce(repo, "pull_request", { action: "review_requested", number: pull.number, pull_request: await pullView(context, repo, pull), requested_reviewer: userJson(account, context.baseUrl) }, actor);
        }
        for (const team of teams) {
          pull.requestedTeams = [...new Set([...(pull.requestedTeams ?? []), team.slug])];
          context.announce(repo, "pull_request", { action: "review_requested", number: pull.number, pull_request: await pullView(context, repo, pull), requested_team: teamJson(team, context.baseUrl) }, actor);
        }
        return { status: 201, body: await pullView(context, repo, pull) };
      },
    },
    {
      method: "DELETE",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!, "write");
        const pull = pullOr404(repo, params.pull_number!);
        const input = asObject(body);
        const logins = new Set(stringList(input.reviewers).map((l) => l.toLowerCase()));
        const slugs = new Set(stringList(input.team_reviewers).map((s) => s.toLowerCase()));
        const actor = context.actor(caller);
        for (const login of pull.requestedReviewers ?? []) {
          if (!logins.has(login.toLowerCase())) continue;
          pull.requestedReviewers = pull.requestedReviewers!.filter((l) => l !== login);
          const account = store.account(login);
          if (account) context.announce(repo, "pull_request", { action: "review_request_removed", number: pull.number, pull_request: await pullView(context, repo, pull), requested_reviewer: userJson(account, context.baseUrl) }, actor);
        }
        pull.requestedTeams = (pull.requestedTeams ?? []).filter((slug) => !slugs.has(slug.toLowerCase()));
        return { status: 200, body: await pullView(context, repo, pull) };
      },
    },
  ];
};

/** Submits (or, without an event, starts a pending) review as `reviewer`; the control API uses this to act as a person. */
export async function submitReview(
  context: SandboxContext,
  repo: RepoState,
  pull: PullRequestState,
  reviewer: Account,
  input: { event?: ReviewEvent; body?: string; commitId?: string },
): Promise<ReviewState> {
  if (input.event) checkOwnPullRequest(pull, reviewer, input.event);
  if ((input.event === "REQUEST_CHANGES" || input.event === "COMMENT") && !input.body) {
    throw unprocessable(`Unprocessable Entity: "Body is required when using ${input.event}"`);
  }
  const commitId = input.commitId ?? pull.headSha;
  if ((await repo.git.objectType(commitId)) !== "commit") throw unprocessable("Validation Failed", [{ resource: "PullRequestReview", field: "commit_id", code: "invalid" }]);
  const review: ReviewState = {
    id: context.store.nextId(),
    repo: fullName(repo),
    pullNumber: pull.number,
    user: reviewer.login,
    body: input.body ?? "",
    state: "PENDING",
    commitId,
    submittedAt: null,
  };
  context.store.collection<ReviewState>("reviews").set(String(review.id), review);
  if (input.event) await completeReview(context, repo, pull, review, input.event);
  return review;
}

async function completeReview(context: SandboxContext, repo: RepoState, pull: PullRequestState, review: ReviewState, event: ReviewEvent): Promise<void> {
  review.state = STATE_OF_EVENT[event];
  review.submittedAt = context.store.timestamp();
  // A review answers the request for it.
  pull.requestedReviewers = (pull.requestedReviewers ?? []).filter((login) => login.toLowerCase() !== review.user.toLowerCase());
  const reviewer = context.store.account(review.user)!;
  context.announce(repo, "pull_request_review", { action: "submitted", review: reviewJson(context, repo, review, "webhook"), pull_request: await pullView(context, repo, pull) }, reviewer);
}

function checkOwnPullRequest(pull: PullRequestState, reviewer: Account, event: ReviewEvent): void {
  if (reviewer.login.toLowerCase() !== pull.user.toLowerCase()) return;
  if (event === "APPROVE") throw unprocessable("Unprocessable Entity: \"Can not approve your own pull request\"");
  if (event === "REQUEST_CHANGES") throw unprocessable("Unprocessable Entity: \"Can not request changes on your own pull request\"");
}

/** Someone given access to the repository (directly, as its owner, or through a team): reading a public repository is not enough. */
function isCollaborator(context: SandboxContext, repo: RepoState, login: string): boolean {
  const key = login.toLowerCase();
  if (key === repo.owner.toLowerCase()) return true;
  const direct = repo.permissions.get(key);
  if (direct && PERMISSION_RANK[direct] >= PERMISSION_RANK.read) return true;
  return [...context.store.teams.values()].some((team) => team.repos.has(fullName(repo)) && team.members.has(key));
}

function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new GitHubHttpError(400, "Problems parsing JSON");
  return value as string[];
}

function fullName(repo: RepoState): string {
  return `${repo.owner}/${repo.name}`.toLowerCase();
}

/** A review as the REST API returns it, or as a webhook carries it (lower-case state, as GitHub sends it). */
function reviewJson(context: SandboxContext, repo: RepoState, review: ReviewState, form: "rest" | "webhook" = "rest") {
  const user = context.store.account(review.user) ?? { id: 1, login: review.user, type: "User" as const };
  const pullUrl = `${context.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${review.pullNumber}`;
  const html = `${context.baseUrl}/${repo.owner}/${repo.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const json: Record<string, unknown> = {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: userJson(user, context.baseUrl),
    body: review.body,
    state: form === "webhook" ? review.state.toLowerCase() : review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    commit_id: review.commitId,
    author_association: context.store.permissionOf(repo, review.user) === "none" ? "NONE" : "COLLABORATOR",
  };
  if (review.submittedAt) json.submitted_at = review.submittedAt;
  return json;
}
