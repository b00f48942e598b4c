import type { Account, Installation, PullRequestState, RepoState, SandboxApp, TeamState } from "./store.js";
import type { CommitObject } from "./git-repo.js";

/**
 * JSON shapes as GitHub's REST API returns them (checked against its OpenAPI description in tests).
 * URLs point at the sandbox, so a client following them stays inside it.
 */
export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString("base64").replace(/=+$/, "");
}

export function userJson(account: Pick<Account, "id" | "login" | "type">, base: string) {
  // Bot logins such as "stagecoach[bot]" are percent-encoded in URLs, as GitHub does.
  const login = encodeURIComponent(account.login);
  const url = `${base}/users/${login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `${base}/_sandbox/avatars/${login}`,
    gravatar_id: "",
    url,
    html_url: `${base}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: account.type,
    site_admin: false,
  };
}

export function ownerOf(repo: RepoState, accounts: Map<string, Account>): Account {
  return accounts.get(repo.owner.toLowerCase()) ?? { id: 1, login: repo.owner, type: "User" };
}

export function repoJson(repo: RepoState, owner: Account, base: string, permissions?: Record<string, boolean>) {
  const full = `${repo.owner}/${repo.name}`;
  const url = `${base}/repos/${full}`;
  const json: Record<string, unknown> = {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: userJson(owner, base),
    html_url: `${base}/${full}`,
    description: null,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `${base.replace(/^http/, "git")}/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@sandbox:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${base}/_git/${full}.git`,
    mirror_url: null,
    hooks_url: `${url}/hooks`,
    svn_url: `${base}/${full}`,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
    license: null,
    allow_forking: true,
    network_count: 0,
    subscribers_count: 0,
  };
  if (permissions) json.permissions = permissions;
  return json;
}

export const APP_PERMISSIONS = {
  contents: "write",
  pull_requests: "write",
  issues: "write",
  checks: "write",
  statuses: "write",
  deployments: "write",
  actions: "write",
  packages: "read",
  members: "read",
  metadata: "read",
} as const;

export const APP_EVENTS = [
  "push",
  "pull_request",
  "pull_request_review",
  "issue_comment",
  "issues",
  "check_run",
  "check_suite",
  "status",
  "deployment_status",
  "workflow_run",
  "registry_package",
  "package",
  "repository_dispatch",
];

export function appJson(app: SandboxApp, owner: Account, base: string) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: `Iv1.${app.id}`,
    owner: userJson(owner, base),
    name: app.name,
    description: "",
    external_url: base,
    html_url: `${base}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
  };
}

export function installationJson(installation: Installation, app: SandboxApp, account: Account, base: string) {
  return {
    id: installation.id,
    account: userJson(account, base),
    repository_selection: installation.repositories === "all" ? "all" : "selected",
    access_tokens_url: `${base}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `${base}/settings/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
    created_at: installation.createdAt,
    updated_at: installation.createdAt,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}

export function gitCommitJson(repo: RepoState, commit: CommitObject, base: string) {
  const url = `${base}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${url}/git/commits/${commit.sha}`,
    html_url: `${base}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message.replace(/\n$/, ""),
    tree: { sha: commit.tree, url: `${url}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({ sha, url: `${url}/git/commits/${sha}`, html_url: `${base}/${repo.owner}/${repo.name}/commit/${sha}` })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

export function commitJson(repo: RepoState, commit: CommitObject, base: string, files?: Array<{ status: string; path: string }>) {
  const url = `${base}/repos/${repo.owner}/${repo.name}`;
  const git = gitCommitJson(repo, commit, base);
  const json: Record<string, unknown> = {
    url: `${url}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: git.node_id,
    html_url: git.html_url,
    comments_url: `${url}/commits/${commit.sha}/comments`,
    commit: {
      url: git.url,
      author: commit.author,
      committer: commit.committer,
      message: git.message,
      comment_count: 0,
      tree: git.tree,
      verification: git.verification,
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({ sha, url: `${url}/commits/${sha}`, html_url: `${base}/${repo.owner}/${repo.name}/commit/${sha}` })),
  };
  if (files) {
    json.files = files.map((f) => ({
      sha: null,
      filename: f.path,
      status: fileStatus(f.status),
      additions: 0,
      deletions: 0,
      changes: 0,
      blob_url: `${base}/${repo.owner}/${repo.name}/blob/${commit.sha}/${f.path}`,
      raw_url: `${base}/${repo.owner}/${repo.name}/raw/${commit.sha}/${f.path}`,
      contents_url: `${url}/contents/${f.path}?ref=${commit.sha}`,
    }));
    json.stats = { total: 0, additions: 0, deletions: 0 };
  }
  return json;
}

export function fileStatus(letter: string): string {
  return ({ A: "added", M: "modified", D: "removed", R: "renamed", C: "copied", T: "changed" } as Record<string, string>)[letter[0] ?? "M"] ?? "modified";
}

export function refJson(repo: RepoState, ref: string, sha: string, type: string, base: string) {
  const url = `${base}/repos/${repo.owner}/${repo.name}`;
  return {
    ref,
    node_id: nodeId("Ref", `${repo.id}:${ref}`),
    url: `${url}/git/${ref}`,
    object: { type, sha, url: `${url}/git/${type}s/${sha}` },
  };
}

export function pullJson(
  pull: PullRequestState,
  repo: RepoState,
  owner: Account,
  author: Account,
  base: string,
  extra: { baseSha: string; mergeable: boolean | null; mergeableState: string; mergedBy?: Account; full: boolean; requestedReviewers?: Account[]; requestedTeams?: TeamState[] },
) {
  const repoUrl = `${base}/repos/${repo.owner}/${repo.name}`;
  const url = `${repoUrl}/pulls/${pull.number}`;
  const html = `${base}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const repository = repoJson(repo, owner, base);
  const side = (ref: string, sha: string) => ({ label: `${repo.owner}:${ref}`, ref, sha, user: userJson(owner, base), repo: repository });
  const json: Record<string, unknown> = {
    url,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoUrl}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoUrl}/pulls/comments{/number}`,
    comments_url: `${repoUrl}/issues/${pull.number}/comments`,
    statuses_url: `${repoUrl}/statuses/${pull.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(author, base),
    body: pull.body,
    // A pull request's label schema has a non-null description (an issue's allows null).
    labels: (pull.labels ?? []).map((name) => ({ ...labelJson(base, repo, name), description: "" })),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: (extra.requestedReviewers ?? []).map((account) => userJson(account, base)),
    requested_teams: (extra.requestedTeams ?? []).map((team) => teamJson(team, base)),
    head: side(pull.head, pull.headSha),
    base: side(pull.base, extra.baseSha),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${repoUrl}/issues/${pull.number}` },
      comments: { href: `${repoUrl}/issues/${pull.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${repoUrl}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${repoUrl}/statuses/${pull.headSha}` },
    },
    author_association: "OWNER",
    auto_merge: null,
    draft: pull.draft,
  };
  if (extra.full) {
    Object.assign(json, {
      merged: pull.merged,
      mergeable: extra.mergeable,
      rebaseable: extra.mergeable,
      mergeable_state: extra.mergeableState,
      merged_by: extra.mergedBy ? userJson(extra.mergedBy, base) : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 0,
      deletions: 0,
      changed_files: 0,
    });
  }
  return json;
}

/** A label as GitHub returns it; the ID is derived from the name so it is stable. */
export function labelJson(base: string, repo: RepoState, name: string) {
  const id = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return { id, node_id: nodeId("Label", id), url: `${base}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`, name, description: null, color: "ededed", default: false };
}

/** A team as GitHub returns it in lists and on pull requests (team-simple plus `parent`). */
export function teamJson(team: TeamState, base: string) {
  const url = `${base}/orgs/${team.org}/teams/${team.slug}`;
  return {
    id: team.id,
    node_id: nodeId("Team", team.id),
    url,
    html_url: `${base}/orgs/${team.org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    type: "organization",
    parent: null,
  };
}
