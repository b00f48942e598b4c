import type { LabelSelector } from "./format-label-selector.js";

/** Kargo's `argocd-update` step config, field for field. */
export interface ArgoCdUpdateConfig {
  apps: ArgoCdAppUpdate[];
}

export interface ArgoCdAppUpdate {
  name?: string;
  /** Default argocd. */
  namespace?: string;
  selector?: LabelSelector;
  sources?: ArgoCdSourceUpdate[];
}

export interface ArgoCdSourceUpdate {
  repoURL: string;
  /** For Helm chart repositories: which chart of the repo. */
  chart?: string;
  desiredRevision?: string;
  /** Older Kargo: take the revision from the freight (commit or chart version of this repo). */
  updateTargetRevision?: boolean;
  helm?: { images?: HelmImageUpdate[] };
  kustomize?: { images?: KustomizeImageUpdate[] };
}

export interface HelmImageUpdate {
  /** The Helm parameter to set, e.g. image.tag. */
  key: string;
  /** A literal value, or (older Kargo, with repoURL) one of ImageAndTag | Tag | ImageAndDigest | Digest. */
  value: string;
  repoURL?: string;
}

export interface KustomizeImageUpdate {
  repoURL: string;
  tag?: string;
  digest?: string;
  newName?: string;
  /** Without tag or digest, take the freight's digest instead of its tag. */
  useDigest?: boolean;
}

/** The artifacts of one Freight, as Kargo names them. */
export interface FreightArtifacts {
  name?: string;
  commits?: Array<{ repoURL: string; id: string; tag?: string; branch?: string }>;
  images?: Array<{ repoURL: string; tag?: string; digest?: string }>;
  charts?: Array<{ repoURL: string; name?: string; version: string }>;
}
