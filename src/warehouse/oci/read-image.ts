import type { ImageRepository } from "../../freight/normalize-urls.js";
import { DiscoveryError } from "../types.js";
import { isIndexMediaType } from "./media-types.js";
import type { RegistryClient, RequestOptions } from "./registry-client.js";

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageDetails {
  /** Digest of what the tag points at: the index for multi-platform images, as Kargo records it. */
  digest: string;
  platforms: Platform[];
  createdAt?: string;
}

const CREATED_KEYS = ["org.opencontainers.image.created", "org.label-schema.build-date"];

/** `linux/amd64` or `linux/arm64/v8` → a platform; the config schema already checked the form. */
export function parsePlatform(text: string): Platform {
  const [os = "", architecture = "", variant] = text.split("/");
  return variant ? { os, architecture, variant } : { os, architecture };
}

function platformMatches(wanted: Platform, actual: Platform): boolean {
  return wanted.os === actual.os && wanted.architecture === actual.architecture && (!wanted.variant || wanted.variant === actual.variant);
}

/**
 * Reads what a tag points at. With a platform, a tag whose image (or index) does not offer that
 * platform answers undefined, as a missing tag does. The creation time is read only when asked
 * (NewestBuild): it costs a config blob per platform image.
 */
export async function readImage(
  client: RegistryClient,
  repository: ImageRepository,
  tag: string,
  options: { platform?: Platform; withCreatedAt?: boolean; request?: RequestOptions },
): Promise<ImageDetails | undefined> {
  const manifest = await client.getManifest(repository, tag, options.request);
  if (!manifest) return undefined;
  const what = `image ${repository.registry}/${repository.path}:${tag}`;

  if (isIndexMediaType(manifest.mediaType) || Array.isArray(manifest.json.manifests)) {
    const entries = asArray(manifest.json.manifests)
      .map((entry) => ({ digest: String(entry.digest ?? ""), platform: asPlatform(entry.platform), annotations: asStrings(entry.annotations) }))
      // Attestations and other non-image entries carry "unknown" (or no) platform.
      .filter((entry): entry is { digest: string; platform: Platform; annotations: Record<string, string> } => entry.platform !== undefined);
    if (entries.length === 0) throw new DiscoveryError(`${what}: the image index lists no platform images; an empty index cannot be promoted`, false);
    const platforms = entries.map((e) => e.platform);
    if (options.platform && !platforms.some((p) => platformMatches(options.platform!, p))) return undefined;
    let createdAt: string | undefined;
    if (options.withCreatedAt) {
      createdAt = createdFrom(asStrings(manifest.json.annotations));
      if (!createdAt) {
        // An index has no creation time of its own; it is no older than the newest image it lists.
        const times = await Promise.all(
          entries.map(async (entry) => createdFrom(entry.annotations) ?? (await readSingleImage(client, repository, entry.digest, what, options.request))?.createdAt),
        );
        createdAt = newest(times);
      }
    }
    return { digest: manifest.digest, platforms, ...(createdAt ? { createdAt } : {}) };
  }

  const needConfig = options.withCreatedAt || options.platform !== undefined;
  if (!needConfig) return { digest: manifest.digest, platforms: [] };
  const config = await readConfig(client, repository, manifest.json, what, options.request);
  if (options.platform && !platformMatches(options.platform, config.platform)) return undefined;
  const createdAt = newest([config.createdAt, createdFrom(asStrings(manifest.json.annotations))]);
  return { digest: manifest.digest, platforms: [config.platform], ...(createdAt ? { createdAt } : {}) };
}

async function readSingleImage(client: RegistryClient, repository: ImageRepository, digest: string, what: string, request?: RequestOptions) {
  const manifest = await client.getManifest(repository, digest, request);
  if (!manifest) throw new DiscoveryError(`${what}: the index lists ${digest}, which the registry does not have`, false);
  return readConfig(client, repository, manifest.json, what, request);
}

async function readConfig(client: RegistryClient, repository: ImageRepository, manifest: Record<string, unknown>, what: string, request?: RequestOptions) {
  const descriptor = manifest.config as { digest?: unknown } | undefined;
  if (typeof descriptor?.digest !== "string") throw new DiscoveryError(`${what}: the manifest has no config descriptor; it is not an image manifest`, false);
  const config = await client.getJsonBlob(repository, descriptor.digest, request);
  const labels = asStrings((config.config as Record<string, unknown> | undefined)?.Labels);
  return {
    platform: asPlatform(config) ?? { os: "unknown", architecture: "unknown" },
    createdAt: newest([typeof config.created === "string" ? config.created : undefined, createdFrom(labels)]),
  };
}

function createdFrom(metadata: Record<string, string>): string | undefined {
  for (const key of CREATED_KEYS) {
    const value = metadata[key];
    if (value && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  }
  return undefined;
}

function newest(times: (string | undefined)[]): string | undefined {
  const valid = times.filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)));
  if (valid.length === 0) return undefined;
  return new Date(Math.max(...valid.map((t) => Date.parse(t)))).toISOString();
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null) : [];
}

function asStrings(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function asPlatform(value: unknown): Platform | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  if (typeof os !== "string" || typeof architecture !== "string" || !os || !architecture || os === "unknown" || architecture === "unknown") return undefined;
  return typeof variant === "string" && variant ? { os, architecture, variant } : { os, architecture };
}
