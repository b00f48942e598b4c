import type { ChartSubscription, GitSubscription, Warehouse } from "../config/model/warehouse.js";
import { discoverImages } from "./oci/discover-images.js";
import type { RegistryClient } from "./oci/registry-client.js";
import { DiscoveryError, type DiscoveredChart, type DiscoveredCommit, type SubscriptionDiscovery } from "./types.js";

/** How each subscription kind is discovered; git and charts plug in so each is tested on its own. */
export interface DiscoveryServices {
  registry: RegistryClient;
  discoverGit?: (subscription: GitSubscription, field: string, signal?: AbortSignal) => Promise<DiscoveredCommit[]>;
  discoverCharts?: (subscription: ChartSubscription, field: string, signal?: AbortSignal) => Promise<DiscoveredChart[]>;
}

export interface SubscriptionFailure {
  /** `warehouse app, subscriptions[1].git`: where the user looks in the config. */
  field: string;
  message: string;
  retryable: boolean;
}

export interface WarehouseDiscovery {
  warehouse: string;
  results: SubscriptionDiscovery[];
  failures: SubscriptionFailure[];
}

/**
 * Runs every subscription of a warehouse at once. A failing subscription is reported with its
 * field and does not stop the others (their results still show what would be found).
 */
export async function discoverWarehouse(warehouse: Warehouse, services: DiscoveryServices, signal?: AbortSignal): Promise<WarehouseDiscovery> {
  const outcomes = await Promise.all(
    warehouse.spec.subscriptions.map(async (subscription, index): Promise<SubscriptionDiscovery | SubscriptionFailure> => {
      const kind = subscription.image ? "image" : subscription.git ? "git" : "chart";
      const field = `warehouse ${warehouse.name}, subscriptions[${index}].${kind}`;
      try {
        if (subscription.image) {
          return { kind: "image", repoURL: subscription.image.repoURL, images: await discoverImages(subscription.image, services.registry, { field, ...(signal ? { signal } : {}) }) };
        }
        if (subscription.git) {
          if (!services.discoverGit) throw new DiscoveryError(`${field}: git subscriptions need access to GitHub or git here; run discovery through the App`, false);
          return { kind: "git", repoURL: subscription.git.repoURL, commits: await services.discoverGit(subscription.git, field, signal) };
        }
        const chart = subscription.chart!;
        if (!services.discoverCharts) throw new DiscoveryError(`${field}: chart discovery is not available here`, false);
        return { kind: "chart", repoURL: chart.repoURL, ...(chart.name ? { name: chart.name } : {}), charts: await services.discoverCharts(chart, field, signal) };
      } catch (error) {
        if (error instanceof DiscoveryError) return { field, message: error.message.startsWith(field) ? error.message : `${field}: ${error.message}`, retryable: error.retryable };
        return { field, message: `${field}: ${(error as Error).message}`, retryable: true };
      }
    }),
  );
  return {
    warehouse: warehouse.name,
    results: outcomes.filter((o): o is SubscriptionDiscovery => "kind" in o),
    failures: outcomes.filter((o): o is SubscriptionFailure => !("kind" in o)),
  };
}
