import type { JsonValue } from "../expressions/index.js";

/** One `checkout[]` entry of git-clone. */
export interface CheckoutSpec {
  path: string;
  branch?: string;
  commit?: string;
  tag?: string;
  /** Start an empty (orphan) branch when `branch` does not exist yet. */
  create?: boolean;
}

export interface PushRequest {
  targetBranch?: string;
  /** A branch name derived from the promotion (used with git-open-pr). */
  generatedBranch?: string;
  tag?: string;
}

export interface PushResult {
  branch: string;
  commit: string;
  commitURL?: string;
}

/** A commit author/committer. */
export interface GitIdentity {
  name: string;
  email: string;
}

/**
 * The file tree a promotion's steps see, and the git operations on its checkouts. Paths are
 * relative to the workspace root; every implementation refuses paths that leave it.
 */
export interface Workspace {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Files (not directories) under `path`, relative to it, sorted. A file path lists itself as "". */
  listFiles(path: string): Promise<string[]>;
  /** Removes a file or a whole directory. */
  remove(path: string): Promise<void>;
  /**
   * Real files for tools that need a disk (kustomize, helm): the listed paths are present under the
   * returned directory at the same relative locations.
   */
  materialize(paths: string[]): Promise<{ dir: string; release(): Promise<void> }>;

  clone(repoURL: string, checkout: CheckoutSpec): Promise<{ commit: string }>;
  /** Deletes everything in a checkout except its git metadata. */
  clear(path: string): Promise<void>;
  /** Records the checkout's changes as one commit; `commit` is undefined when nothing changed. */
  commit(path: string, message: string, author: GitIdentity): Promise<{ commit: string | undefined }>;
  push(path: string, request: PushRequest): Promise<PushResult>;
  tag(path: string, tag: string, message?: string): Promise<{ tag: string; commit: string }>;
  /** The repo URL a checkout came from (git-open-pr needs it). */
  repoURLOf(path: string): string;

  /** Plain data that lets another process reopen this workspace (see WorkspaceFactory). */
  snapshot(): JsonValue;
  dispose(): Promise<void>;
}

/** Opens a workspace for a promotion; reopens one from a snapshot when it still exists. */
export interface WorkspaceFactory {
  open(promotionId: string, snapshot: JsonValue | undefined): Promise<{ workspace: Workspace; restored: boolean }>;
}
