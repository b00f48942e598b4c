import type { ImageSubscription } from "../../config/model/warehouse.js";
import { parseImageRepository } from "../../freight/normalize-urls.js";
import { selectLexicalTags, selectNewestBuilds, selectSemverTags } from "../selection/index.js";
import { DiscoveryError, type DiscoveredImage } from "../types.js";
import { parsePlatform, readImage, type ImageDetails } from "./read-image.js";
import type { RegistryClient, RequestOptions } from "./registry-client.js";

export interface DiscoverImagesOptions {
  /** Where the subscription sits in the config, for messages ("warehouse app, subscriptions[0].image"). */
  field?: string;
  signal?: AbortSignal;
}

/**
 * The newest images one subscription offers (at most `discoveryLimit`), newest first, with
 * Kargo's strategies: SemVer and Lexical order tags and read only as many manifests as they keep;
 * NewestBuild reads every candidate's creation time; Digest follows one mutable tag.
 */
export async function discoverImages(subscription: ImageSubscription & { insecureSkipTLSVerify?: boolean }, client: RegistryClient, options: DiscoverImagesOptions = {}): Promise<DiscoveredImage[]> {
  const field = options.field ?? `image ${subscription.repoURL}`;
  const repository = parseImageRepository(subscription.repoURL);
  if (!repository) {
    throw new DiscoveryError(`${field}.repoURL: "${subscription.repoURL}" is not an image repository; write it without a scheme, like ghcr.io/acme/app or nginx`, false);
  }
  const request: RequestOptions = { insecureSkipTLSVerify: subscription.insecureSkipTLSVerify ?? false, ...(options.signal ? { signal: options.signal } : {}) };
  const platform = subscription.platform ? parsePlatform(subscription.platform) : undefined;
  const image = (tag: string, details: ImageDetails): DiscoveredImage => ({
    repoURL: subscription.repoURL,
    tag,
    digest: details.digest,
    ...(details.createdAt ? { createdAt: details.createdAt } : {}),
  });

  if (subscription.imageSelectionStrategy === "Digest") {
    if (!subscription.constraint) throw new DiscoveryError(`${field}.constraint: the Digest strategy needs the tag to watch, e.g. constraint: latest`, false);
    const details = await readImage(client, repository, subscription.constraint, { ...(platform ? { platform } : {}), request });
    if (!details) throw new DiscoveryError(`${field}: the tag "${subscription.constraint}" does not exist in ${subscription.repoURL}${platform ? ` for ${subscription.platform}` : ""}`, false);
    return [image(subscription.constraint, details)];
  }

  const tags = await client.listTags(repository, request);
  const limit = subscription.discoveryLimit;

  if (subscription.imageSelectionStrategy === "NewestBuild") {
    const candidates = selectLexicalTags(tags, { ...filters(subscription), discoveryLimit: Number.MAX_SAFE_INTEGER }, field);
    const read = await Promise.all(candidates.map(async (tag) => ({ tag, details: await readImage(client, repository, tag, { ...(platform ? { platform } : {}), withCreatedAt: true, request }) })));
    const dated = read.flatMap(({ tag, details }) => (details?.createdAt ? [{ tag, createdAt: details.createdAt, details }] : []));
    return selectNewestBuilds(dated, limit).map(({ tag, details }) => image(tag, details));
  }

  const ordered =
    subscription.imageSelectionStrategy === "Lexical"
      ? selectLexicalTags(tags, { ...filters(subscription), discoveryLimit: Number.MAX_SAFE_INTEGER }, field)
      : selectSemverTags(tags, { ...filters(subscription), ...(subscription.constraint ? { constraint: subscription.constraint } : {}), strictSemvers: subscription.strictSemvers, discoveryLimit: Number.MAX_SAFE_INTEGER }, field);

  // Read manifests a batch at a time, in order, until enough tags offer the wanted platform.
  const found: DiscoveredImage[] = [];
  for (let start = 0; start < ordered.length && found.length < limit; start += limit) {
    const batch = ordered.slice(start, start + limit);
    const details = await Promise.all(batch.map((tag) => readImage(client, repository, tag, { ...(platform ? { platform } : {}), request })));
    batch.forEach((tag, index) => {
      const d = details[index];
      if (d && found.length < limit) found.push(image(tag, d));
    });
  }
  return found;
}

function filters(subscription: ImageSubscription) {
  return {
    ...(subscription.allowTagsRegexes ? { allowTagsRegexes: subscription.allowTagsRegexes } : {}),
    ...(subscription.ignoreTagsRegexes ? { ignoreTagsRegexes: subscription.ignoreTagsRegexes } : {}),
  };
}
