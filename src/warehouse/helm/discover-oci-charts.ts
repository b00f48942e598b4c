import type { ChartSubscription } from "../../config/model/warehouse.js";
import { displayRepoURL } from "../git/parse-git-url.js";
import { DiscoveryError, type DiscoveredChart } from "../types.js";
import { selectChartVersions } from "./select-chart-versions.js";

/** Every tag of an OCI repository (`registry/path`, no scheme): the registry client's tag listing. */
export type ListOciTags = (repository: string) => Promise<string[]>;

/**
 * Versions of a chart stored in an OCI registry (`oci://registry/path/chart`): the repository's
 * tags, read back as versions (OCI tags cannot hold `+`, so Helm pushes `1.0.0+build` as
 * `1.0.0_build`), selected by semverConstraint, newest first, at most discoveryLimit.
 */
export async function discoverOciCharts(subscription: ChartSubscription, listTags: ListOciTags, field = `chart ${displayRepoURL(subscription.repoURL)}`): Promise<DiscoveredChart[]> {
  const repository = subscription.repoURL.trim().replace(/^oci:\/\//i, "").replace(/\/+$/, "");
  if (!/^[^/\s]+\/[^\s]+$/.test(repository) || /^[^/]*@/.test(repository)) {
    throw new DiscoveryError(`${field}.repoURL: "${subscription.repoURL}" is not an OCI chart repository; write it like oci://ghcr.io/acme/charts/app`, false);
  }
  if (subscription.name) {
    throw new DiscoveryError(`${field}.name: an oci:// chart repository holds one chart, named by the repoURL's last part; remove name`, false);
  }
  if (subscription.semverConstraint) selectChartVersions([], subscription.semverConstraint, 1, field);
  const versions = (await listTags(repository)).map((tag) => tag.replaceAll("_", "+"));
  return selectChartVersions(versions, subscription.semverConstraint, subscription.discoveryLimit, field).map((version) => ({ repoURL: subscription.repoURL, version }));
}
