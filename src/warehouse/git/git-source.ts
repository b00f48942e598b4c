/** What discovery needs from a repository, answered by the GitHub API or by the git CLI. */
export interface GitSource {
  /** The branch to follow: the one named, else the repository's default; undefined for an empty repository. */
  resolveBranch(branch: string | undefined): Promise<string | undefined>;
  /** The branch's commits, newest first, `pageSize` at a time. */
  branchCommits(branch: string, pageSize: number): AsyncIterable<CommitDetails[]>;
  /** Every tag name. */
  listTags(): Promise<string[]>;
  /** Each tag's creation date: the tagger's date for an annotated tag, else its commit's date. */
  tagDates(tags: readonly string[]): Promise<Map<string, string>>;
  /** The commit each tag points at (annotated tags peeled), with the tag's creation date. */
  tagCommits(tags: readonly string[]): Promise<Map<string, TaggedCommit>>;
  /** Paths each commit changed against its first parent (every path, for a root commit). */
  changedPaths(commitIds: readonly string[]): Promise<Map<string, string[]>>;
  close(): Promise<void>;
}

export interface CommitDetails {
  id: string;
  /** The whole message; discovery keeps only its first line. */
  message: string;
  /** `Name <email>`, as Kargo records it. */
  author: string;
  committer: string;
  /** The committer's date, ISO 8601. */
  committedAt: string;
}

export interface TaggedCommit {
  commit: CommitDetails;
  /** Tagger date for an annotated tag, commit date for a lightweight one. */
  createdAt: string;
}

/** Pages of at most this many commits are scanned for path filters before giving up. */
export const MAX_SCANNED_COMMITS = 500;

/** `Name <email>`, or just the name when the email is missing. */
export function formatSignature(name: string | undefined, email: string | undefined): string {
  return email ? `${name ?? ""} <${email}>` : (name ?? "");
}

/** ISO 8601 in UTC without milliseconds, whatever offset the source wrote. */
export function toIsoDate(date: string): string {
  const time = Date.parse(date);
  return Number.isNaN(time) ? date : new Date(time).toISOString().replace(/\.000Z$/, "Z");
}
