import type { RefUpdate, SandboxContext } from "./context.js";

const ZERO = "0".repeat(40);

/**
 * Turns every branch or tag change into a `push` delivery with GitHub's payload shape. Other refs
 * (the App's own `refs/stagecoach/...` records) change silently, as on GitHub.
 */
export function announcePushes(context: SandboxContext): void {
  context.onRefUpdated(async (update: RefUpdate) => {
    const { repo, ref, before, after, pusher } = update;
    if (!ref.startsWith("refs/heads/") && !ref.startsWith("refs/tags/")) return;
    const commitShas = after ? await repo.git.revList(before ? [after, `^${before}`] : [after], undefined, 20) : [];
    const commits = [];
    for (const sha of commitShas.reverse()) {
      const commit = await repo.git.readCommit(sha);
      const files = await repo.git.changedFiles(commit.parents[0], sha);
      commits.push({
        id: sha,
        tree_id: commit.tree,
        distinct: true,
        message: commit.message.trimEnd(),
        timestamp: commit.committer.date,
        url: `${context.baseUrl}/${repo.owner}/${repo.name}/commit/${sha}`,
        author: { name: commit.author.name, email: commit.author.email, username: pusher.login },
        committer: { name: commit.committer.name, email: commit.committer.email },
        added: files.filter((f) => f.status.startsWith("A")).map((f) => f.path),
        removed: files.filter((f) => f.status.startsWith("D")).map((f) => f.path),
        modified: files.filter((f) => !/^[AD]/.test(f.status)).map((f) => f.path),
      });
    }
    const repository = context.repositoryPayload(repo);
    context.announce(
      repo,
      "push",
      {
        ref,
        before: before ?? ZERO,
        after: after ?? ZERO,
        created: before === undefined,
        deleted: after === undefined,
        forced: update.forced,
        base_ref: null,
        compare: `${context.baseUrl}/${repo.owner}/${repo.name}/compare/${(before ?? ZERO).slice(0, 12)}...${(after ?? ZERO).slice(0, 12)}`,
        commits,
        head_commit: commits.at(-1) ?? null,
        pusher: { name: pusher.login, email: `${pusher.id}+${pusher.login}@users.noreply.sandbox` },
        // Push payloads carry the repository with integer timestamps, as GitHub sends them.
        repository: { ...repository, pushed_at: Math.floor(Date.parse(repo.pushedAt) / 1000), created_at: Math.floor(Date.parse(repo.createdAt) / 1000), master_branch: repo.defaultBranch, stargazers: 0 },
      },
      pusher,
    );
  });
}
