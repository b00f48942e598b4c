import type { ChartSubscription } from "../../config/model/warehouse.js";
import { displayRepoURL } from "../git/parse-git-url.js";
import type { NetworkPolicy } from "../../network/types.js";
import { DiscoveryError, type CredentialLookup, type DiscoveredChart } from "../types.js";
import { discoverOciCharts, type ListOciTags } from "./discover-oci-charts.js";
import { readChartIndex } from "./read-chart-index.js";
import { selectChartVersions } from "./select-chart-versions.js";

export interface DiscoverChartsOptions {
  credentials?: CredentialLookup;
  network?: NetworkPolicy;
  signal?: AbortSignal;
  /** Tag listing for `oci://` charts (the OCI registry client); without it such a subscription is an error. */
  listOciTags?: ListOciTags;
  /** Where the subscription sits in the config, for messages; `chart <repoURL>` when absent. */
  field?: string;
}

/**
 * The newest versions a chart subscription offers, newest first, at most `discoveryLimit`: from a
 * classic repository's index.yaml (the chart named by `name`), or from an OCI repository's tags.
 */
export async function discoverCharts(subscription: ChartSubscription, options: DiscoverChartsOptions = {}): Promise<DiscoveredChart[]> {
  const field = options.field ?? `chart ${displayRepoURL(subscription.repoURL)}`;
  if (/^oci:\/\//i.test(subscription.repoURL.trim())) {
    if (!options.listOciTags) throw new DiscoveryError(`${field}: oci:// charts need the OCI registry client, which this caller did not provide`, false);
    return discoverOciCharts(subscription, options.listOciTags, field);
  }
  const name = subscription.name;
  if (!name) throw new DiscoveryError(`${field}.name: a chart repository with an index.yaml holds many charts; name the one to follow`, false);
  // Checked before the network, so a config mistake is reported as one.
  if (subscription.semverConstraint) selectChartVersions([], subscription.semverConstraint, 1, field);
  const credential = options.credentials?.(subscription.repoURL);
  const index = await readChartIndex(subscription.repoURL, {
    field,
    ...(credential ? { credential } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(subscription.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const versions = index.get(name);
  if (!versions) {
    const known = [...index.keys()].sort();
    const listed = known.length === 0 ? "the index lists no charts" : `it lists ${known.slice(0, 10).join(", ")}${known.length > 10 ? ` and ${known.length - 10} more` : ""}`;
    throw new DiscoveryError(`${field}.name: the repository has no chart named "${name}" (${listed}); fix the name`, false);
  }
  return selectChartVersions(versions, subscription.semverConstraint, subscription.discoveryLimit, field).map((version) => ({ repoURL: subscription.repoURL, name, version }));
}
