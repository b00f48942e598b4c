import type { GitHubClient } from "../github/git-data.js";
import type { DiscoveryServices } from "./discover-warehouse.js";
import { parseImageRepository } from "../freight/normalize-urls.js";
import { discoverGitCommits } from "./git/index.js";
import { discoverCharts } from "./helm/index.js";
import { createRegistryClient } from "./oci/registry-client.js";
import type { NetworkPolicy } from "../network/types.js";
import { DiscoveryError, type CredentialLookup } from "./types.js";

export interface DiscoveryServiceOptions {
  credentials?: CredentialLookup;
  network?: NetworkPolicy;
  /** Hosts whose git repositories are read through the GitHub API with the installation's token. */
  githubHosts?: readonly string[];
}

export interface DiscoveryServiceSet {
  /** Without GitHub: images, charts, and git over the git CLI (the CLI command). */
  standalone(): DiscoveryServices;
  /** In the App: git repositories on GitHub are read through its API with this installation's token. */
  forInstallation(client: GitHubClient): DiscoveryServices;
  close(): Promise<void>;
}

/**
 * The discovery services with the app's credentials and network rules. One registry client is
 * shared, so its per-registry concurrency limit and token cache hold across warehouses.
 */
export function createDiscoveryServices(options: DiscoveryServiceOptions): DiscoveryServiceSet {
  const registry = createRegistryClient({ ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.network ? { network: options.network } : {}) });
  const shared = { ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.network ? { network: options.network } : {}) };
  const services = (client?: GitHubClient): DiscoveryServices => ({
    registry,
    discoverGit: (subscription, field, signal) => {
      const host = client ? options.githubHosts?.find((h) => hostOf(subscription.repoURL) === h.toLowerCase()) : undefined;
      return discoverGitCommits(subscription, { ...shared, field, ...(client && host ? { github: { client, host } } : {}), ...(signal ? { signal } : {}) });
    },
    discoverCharts: (subscription, field, signal) =>
      discoverCharts(subscription, {
        ...shared,
        field,
        ...(signal ? { signal } : {}),
        // oci:// charts are OCI artifacts: their versions are the repository's tags.
        listOciTags: async (repository) => {
          const parsed = parseImageRepository(repository);
          if (!parsed) throw new DiscoveryError(`${field}.repoURL: "${subscription.repoURL}" is not an OCI repository; write it like oci://ghcr.io/acme/charts/app`, false);
          return registry.listTags(parsed, { insecureSkipTLSVerify: subscription.insecureSkipTLSVerify ?? false, ...(signal ? { signal } : {}) });
        },
      }),
  });
  return {
    standalone: () => services(),
    forInstallation: (client) => services(client),
    close: () => registry.close(),
  };
}

function hostOf(repoURL: string): string | undefined {
  try {
    return new URL(repoURL).host.toLowerCase();
  } catch {
    // scp form: git@github.com:acme/app.git
    return /^(?:[\w.-]+@)?([\w.-]+):/.exec(repoURL)?.[1]?.toLowerCase();
  }
}
