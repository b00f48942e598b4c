import { asObject, paginate, type RouteModule, type SandboxContext } from "../context.js";
import { notFound, unprocessable } from "../http-error.js";
import { labelJson as sharedLabelJson, nodeId, userJson } from "../representations.js";
import { pullView } from "./pulls.js";
import type { Account, RepoState } from "../store.js";

interface IssueState {
  id: number;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: string;
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface CommentState {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

interface ReactionState {
  id: number;
  subject: string;
  content: string;
  user: string;
  createdAt: string;
}

const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

/**
 * Issues, comments (also on pull requests: they share numbers), labels and reactions, with the
 * `issues` and `issue_comment` deliveries they cause.
 */
export const issueRoutes: RouteModule = (context) => {
  const { store } = context;
  const issues = store.collection<IssueState>("issues");
  const comments = store.collection<CommentState>("issue-comments");
  const reactions = store.collection<ReactionState>("reactions");
  const key = (repo: RepoState, n: number | string) => `${repo.owner}/${repo.name}#${n}`.toLowerCase();
  const issueOr404 = (repo: RepoState, n: string) => {
    const issue = issues.get(key(repo, n));
    if (issue) return issue;
    // A pull request is also an issue: comments and labels address it by its number.
    const pull = store.pull(repo, Number(n));
    if (!pull) throw notFound();
    const asIssue: IssueState = { id: pull.id, number: pull.number, repo: pull.repo, title: pull.title, body: pull.body, state: pull.state, user: pull.user, labels: [], createdAt: pull.createdAt, updatedAt: pull.updatedAt, closedAt: pull.closedAt };
    issues.set(key(repo, n), asIssue);
    return asIssue;
  };
  const commentOr404 = (repo: RepoState, id: string) => {
    const comment = comments.get(id);
    if (!comment || comment.repo !== `${repo.owner}/${repo.name}`.toLowerCase()) throw notFound();
    return comment;
  };

  return [
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/issues",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const input = asObject(body);
        if (typeof input.title !== "string" || !input.title) throw unprocessable("Validation Failed", [{ resource: "Issue", field: "title", code: "missing_field" }]);
        const actor = context.actor(caller);
        const now = store.timestamp();
        const issue: IssueState = {
          id: store.nextId(),
          number: repo.nextNumber++,
          repo: `${repo.owner}/${repo.name}`.toLowerCase(),
          title: input.title,
          body: typeof input.body === "string" ? input.body : null,
          state: "open",
          user: actor.login,
          labels: Array.isArray(input.labels) ? input.labels.map(String) : [],
          createdAt: now,
          updatedAt: now,
          closedAt: null,
        };
        issues.set(key(repo, issue.number), issue);
        const json = issueJson(context, repo, issue, comments);
        context.announce(repo, "issues", { action: "opened", issue: json }, actor);
        return { status: 201, body: json };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/issues/{issue_number}",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        return { status: 200, body: issueJson(context, repo, issueOr404(repo, params.issue_number!), comments) };
      },
    },
    {
      method: "PATCH",
      path: "/repos/{owner}/{repo}/issues/{issue_number}",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const issue = issueOr404(repo, params.issue_number!);
        const input = asObject(body);
        const wasOpen = issue.state === "open";
        // GitHub's issues.edited says what changed, with the old values.
        const changes: Record<string, { from: string }> = {};
        if (typeof input.title === "string" && input.title !== issue.title) changes.title = { from: issue.title };
        if (typeof input.body === "string" && input.body !== issue.body) changes.body = { from: issue.body ?? "" };
        if (typeof input.title === "string") issue.title = input.title;
        if (typeof input.body === "string") issue.body = input.body;
        if (input.state === "open" || input.state === "closed") issue.state = input.state;
        issue.closedAt = issue.state === "closed" ? (issue.closedAt ?? store.timestamp()) : null;
        issue.updatedAt = store.timestamp();
        const json = issueJson(context, repo, issue, comments);
        const action = wasOpen && issue.state === "closed" ? "closed" : !wasOpen && issue.state === "open" ? "reopened" : "edited";
        context.announce(repo, "issues", { action, ...(action === "edited" ? { changes } : {}), issue: json }, context.actor(caller));
        return { status: 200, body: json };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/issues",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const state = query.get("state") ?? "open";
        const labels = query.get("labels")?.split(",").filter(Boolean) ?? [];
        const all = [...issues.values()]
          .filter((i) => i.repo === `${repo.owner}/${repo.name}`.toLowerCase() && !store.pull(repo, i.number))
          .filter((i) => state === "all" || i.state === state)
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .sort((a, b) => b.number - a.number);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/issues`);
        return { status: 200, headers: page.headers, body: page.items.map((i) => issueJson(context, repo, i, comments)) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const issue = issueOr404(repo, params.issue_number!);
        const input = asObject(body);
        if (typeof input.body !== "string") throw unprocessable("Invalid request.\n\n\"body\" wasn't supplied.");
        const comment = addComment(context, repo, issue.number, input.body, context.actor(caller));
        return { status: 201, body: commentJson(context, repo, comment) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const issue = issueOr404(repo, params.issue_number!);
        const all = [...comments.values()].filter((c) => c.repo === issue.repo && c.issueNumber === issue.number).sort((a, b) => a.id - b.id);
        const page = paginate(all, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}/comments`);
        return { status: 200, headers: page.headers, body: page.items.map((c) => commentJson(context, repo, c)) };
      },
    },
    {
      method: "PATCH",
      path: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const comment = commentOr404(repo, params.comment_id!);
        const input = asObject(body);
        if (typeof input.body === "string") comment.body = input.body;
        comment.updatedAt = store.timestamp();
        const json = commentJson(context, repo, comment);
        context.announce(repo, "issue_comment", { action: "edited", changes: {}, issue: issueJson(context, repo, issueOr404(repo, String(comment.issueNumber)), comments), comment: json }, context.actor(caller));
        return { status: 200, body: json };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      auth: "token",
      handle: ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        commentOr404(repo, params.comment_id!);
        const input = asObject(body);
        if (!REACTIONS.includes(String(input.content))) throw unprocessable(`content must be one of ${REACTIONS.join(", ")}`);
        const actor = context.actor(caller);
        const subject = `comment:${params.comment_id}`;
        const existing = [...reactions.values()].find((r) => r.subject === subject && r.user === actor.login && r.content === input.content);
        const reaction = existing ?? { id: store.nextId(), subject, content: String(input.content), user: actor.login, createdAt: store.timestamp() };
        reactions.set(String(reaction.id), reaction);
        return { status: existing ? 200 : 201, body: reactionJson(context, reaction, actor) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      auth: "any",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        commentOr404(repo, params.comment_id!);
        const subject = `comment:${params.comment_id}`;
        const list = [...reactions.values()].filter((r) => r.subject === subject);
        return { status: 200, body: list.map((r) => reactionJson(context, r, store.account(r.user) ?? { id: 1, login: r.user, type: "User" })) };
      },
    },
    {
      method: "POST",
      path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
      auth: "token",
      handle: async ({ caller, params, body }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const issue = issueOr404(repo, params.issue_number!);
        const input = asObject(body);
        const names = (Array.isArray(input.labels) ? input.labels : []).map((l) => (typeof l === "string" ? l : String((l as { name?: string }).name)));
        const added = names.filter((name) => !issue.labels.includes(name));
        issue.labels.push(...added);
        const pull = store.pull(repo, issue.number);
        if (pull) {
          pull.labels = [...issue.labels];
          store.savePull(pull);
        }
        // GitHub sends one `labeled` delivery per label added (`pull_request` for pull requests).
        for (const name of added) {
          const label = labelJson(context, repo, name);
          if (pull) context.announce(repo, "pull_request", { action: "labeled", number: pull.number, pull_request: await pullView(context, repo, pull), label }, context.actor(caller));
          else context.announce(repo, "issues", { action: "labeled", issue: issueJson(context, repo, issue, comments), label }, context.actor(caller));
        }
        return { status: 200, body: issue.labels.map((name) => labelJson(context, repo, name)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
      auth: "any",
      handle: ({ caller, params, query }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const issue = issueOr404(repo, params.issue_number!);
        const page = paginate(issue.labels, query, `${context.baseUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}/labels`);
        return { status: 200, headers: page.headers, body: page.items.map((name) => labelJson(context, repo, name)) };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/collaborators/{username}/permission",
      auth: "token",
      handle: ({ caller, params }) => {
        const repo = context.repo(caller, params.owner!, params.repo!);
        const account = store.account(params.username!);
        if (!account) throw notFound();
        const role = store.permissionOf(repo, account.login);
        // The REST answer folds maintain into write and triage into read; role_name keeps the real role.
        const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
        return { status: 200, body: { permission, role_name: role, user: { ...userJson(account, context.baseUrl), role_name: role } } };
      },
    },
  ];
};

/** Adds a comment and sends `issue_comment.created` (used by the API route and the control API). */
export function addComment(context: SandboxContext, repo: RepoState, issueNumber: number, body: string, author: Account): CommentState {
  const { store } = context;
  const now = store.timestamp();
  const comment: CommentState = { id: store.nextId(), repo: `${repo.owner}/${repo.name}`.toLowerCase(), issueNumber, body, user: author.login, createdAt: now, updatedAt: now };
  const comments = store.collection<CommentState>("issue-comments");
  comments.set(String(comment.id), comment);
  const issues = store.collection<IssueState>("issues");
  const issue = issues.get(`${repo.owner}/${repo.name}#${issueNumber}`.toLowerCase());
  const pull = store.pull(repo, issueNumber);
  const issuePayload = issue
    ? issueJson(context, repo, issue, comments)
    : pull
      ? { ...issueJson(context, repo, { id: pull.id, number: pull.number, repo: pull.repo, title: pull.title, body: pull.body, state: pull.state, user: pull.user, labels: [], createdAt: pull.createdAt, updatedAt: pull.updatedAt, closedAt: pull.closedAt }, comments), pull_request: { url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`, html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/pull/${pull.number}`, diff_url: null, patch_url: null } }
      : undefined;
  context.announce(repo, "issue_comment", { action: "created", issue: issuePayload, comment: commentJson(context, repo, comment) }, author);
  return comment;
}

function issueJson(context: SandboxContext, repo: RepoState, issue: IssueState, comments: Map<string, CommentState>) {
  const api = `${context.baseUrl}/repos/${repo.owner}/${repo.name}`;
  const url = `${api}/issues/${issue.number}`;
  const author = context.store.account(issue.user) ?? { id: 1, login: issue.user, type: "User" as const };
  return {
    id: issue.id,
    node_id: nodeId("Issue", issue.id),
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: userJson(author, context.baseUrl),
    labels: issue.labels.map((name) => labelJson(context, repo, name)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: [...comments.values()].filter((c) => c.repo === issue.repo && c.issueNumber === issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: "OWNER",
  };
}

function commentJson(context: SandboxContext, repo: RepoState, comment: CommentState) {
  const author = context.store.account(comment.user) ?? { id: 1, login: comment.user, type: "User" as const };
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
    html_url: `${context.baseUrl}/${repo.owner}/${repo.name}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${context.baseUrl}/repos/${repo.owner}/${repo.name}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(author, context.baseUrl),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: "OWNER",
  };
}

function reactionJson(context: SandboxContext, reaction: ReactionState, user: Account) {
  return { id: reaction.id, node_id: nodeId("Reaction", reaction.id), user: userJson(user, context.baseUrl), content: reaction.content, created_at: reaction.createdAt };
}

function labelJson(context: SandboxContext, repo: RepoState, name: string) {
  return sharedLabelJson(context.baseUrl, repo, name);
}
