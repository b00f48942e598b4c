/**
 * What discovery finds, per subscription kind. Field names follow Kargo's Freight artifacts
 * (`repoURL`, `tag`, `digest`; commit `id`; chart `version`) so expressions read the same.
 */
export interface DiscoveredImage {
  /** The subscription's repoURL exactly as written in the config (it is part of the freight ID). */
  repoURL: string;
  tag: string;
  /** `sha256:…` of the manifest or image index the tag points at. */
  digest: string;
  /** Image creation time from the config blob, when the strategy needed it (NewestBuild). */
  createdAt?: string;
}

export interface DiscoveredCommit {
  repoURL: string;
  /** Full commit SHA. */
  id: string;
  branch?: string;
  tag?: string;
  message?: string;
  author?: string;
  committer?: string;
  createdAt?: string;
}

export interface DiscoveredChart {
  repoURL: string;
  /** Chart name for classic (index.yaml) repositories; absent for oci:// charts. */
  name?: string;
  version: string;
}

/** The newest-first candidates one subscription offers (at most its `discoveryLimit`). */
export type SubscriptionDiscovery =
  | { kind: "image"; repoURL: string; images: DiscoveredImage[] }
  | { kind: "git"; repoURL: string; commits: DiscoveredCommit[] }
  | { kind: "chart"; repoURL: string; name?: string; charts: DiscoveredChart[] };

/** A secret for one repository URL prefix, from the app's own configuration (never the GitOps repo). */
export type RepositoryCredential = { username: string; password: string } | { token: string };

/** Finds the credential for a repository URL (longest matching prefix), or undefined. */
export type CredentialLookup = (repositoryURL: string) => RepositoryCredential | undefined;

/** A discovery failure a user can act on: the message names the subscription and the fix. */
export class DiscoveryError extends Error {
  override name = "DiscoveryError";
  constructor(
    message: string,
    /** Transient failures (unreachable, 5xx, 429) are retried with backoff; the rest wait for a config or credential change. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
