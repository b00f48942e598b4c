import type { GitRepo } from "./git-repo.js";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export const PERMISSION_RANK: Record<Permission, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export interface Account {
  id: number;
  login: string;
  type: "User" | "Organization" | "Bot";
  /** A personal token the control API hands out, so a test can act as this person. */
  token?: string;
}

export interface SandboxApp {
  id: number;
  slug: string;
  name: string;
  owner: string;
  publicKey: string;
  privateKey?: string;
  webhookUrl?: string;
  webhookSecret: string;
  createdAt: string;
}

export interface Installation {
  id: number;
  appId: number;
  account: string;
  /** "all" or the full names (owner/name) of the selected repositories. */
  repositories: "all" | string[];
  createdAt: string;
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  git: GitRepo;
  permissions: Map<string, Permission>;
  createdAt: string;
  pushedAt: string;
  /** Issues and pull requests share one number sequence per repository, as on GitHub. */
  nextNumber: number;
}

export interface PullRequestState {
  id: number;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  head: string;
  base: string;
  headSha: string;
  user: string;
  merged: boolean;
  mergedBy?: string;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  /** Label names; a pull request's labels are its issue's labels. */
  labels?: string[];
  /** Logins whose review is requested (a submitted review removes its author). */
  requestedReviewers?: string[];
  /** Slugs of teams (in the repository owner's organization) whose review is requested. */
  requestedTeams?: string[];
}

export interface TeamState {
  id: number;
  org: string;
  slug: string;
  name: string;
  /** login (lower case) → role */
  members: Map<string, "member" | "maintainer">;
  /** Repository full names (lower case) → the team's permission on them. */
  repos: Map<string, Permission>;
}

export type Caller =
  | { kind: "anonymous" }
  | { kind: "app"; app: SandboxApp }
  | { kind: "installation"; app: SandboxApp; installation: Installation }
  | { kind: "user"; account: Account };

export interface TokenGrant {
  installationId?: number;
  login?: string;
  expiresAt: string;
}

/** The sandbox's in-memory state besides git objects. Other route modules keep theirs in collections. */
export class SandboxStore {
  readonly accounts = new Map<string, Account>();
  readonly apps = new Map<number, SandboxApp>();
  readonly installations = new Map<number, Installation>();
  readonly tokens = new Map<string, TokenGrant>();
  readonly repos = new Map<string, RepoState>();
  readonly pulls = new Map<string, PullRequestState>();
  /** `org/slug` (lower case) → team. */
  readonly teams = new Map<string, TeamState>();
  private readonly collections = new Map<string, Map<string, unknown>>();
  private lastId = 1000;

  constructor(readonly now: () => Date) {}

  nextId(): number {
    return ++this.lastId;
  }

  timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** A named map for an area's own state (issues, check runs, deployments…). */
  collection<T>(name: string): Map<string, T> {
    let map = this.collections.get(name);
    if (!map) {
      map = new Map();
      this.collections.set(name, map);
    }
    return map as Map<string, T>;
  }

  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  pull(repo: RepoState, number: number): PullRequestState | undefined {
    return this.pulls.get(`${repo.owner}/${repo.name}#${number}`.toLowerCase());
  }

  savePull(pull: PullRequestState): void {
    this.pulls.set(`${pull.repo}#${pull.number}`.toLowerCase(), pull);
  }

  installationsCovering(repo: RepoState): Installation[] {
    const fullName = `${repo.owner}/${repo.name}`.toLowerCase();
    return [...this.installations.values()].filter(
      (i) =>
        i.account.toLowerCase() === repo.owner.toLowerCase() &&
        (i.repositories === "all" || i.repositories.some((r) => r.toLowerCase() === fullName)),
    );
  }

  team(org: string, slug: string): TeamState | undefined {
    return this.teams.get(`${org}/${slug}`.toLowerCase());
  }

  /** The highest of the person's own permission and that of every team they are in (as GitHub folds them). */
  permissionOf(repo: RepoState, login: string): Permission {
    if (login.toLowerCase() === repo.owner.toLowerCase()) return "admin";
    const fullName = `${repo.owner}/${repo.name}`.toLowerCase();
    const granted: Permission[] = [repo.permissions.get(login.toLowerCase()) ?? (repo.private ? "none" : "read")];
    for (const team of this.teams.values()) {
      const teamPermission = team.repos.get(fullName);
      if (teamPermission && team.members.has(login.toLowerCase())) granted.push(teamPermission);
    }
    return granted.reduce((best, p) => (PERMISSION_RANK[p] > PERMISSION_RANK[best] ? p : best));
  }
}
