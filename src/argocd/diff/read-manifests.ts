import { parseAllDocuments } from "yaml";
import { resourceKeyId } from "./resource-key.js";
import type { ResourceKey } from "./types.js";

/** The most rendered YAML read for one side of a diff, and the most resources in it. */
export const MAX_MANIFEST_CHARS = 8 * 1024 * 1024;
export const MAX_RESOURCES = 5_000;

export interface Manifest {
  key: ResourceKey;
  object: Record<string, unknown>;
}

/** Resources by identity; a later document with the same identity replaces the earlier one, as kubectl apply would. */
export type ManifestSet = Map<string, Manifest>;

/**
 * Reads rendered manifests (the YAML stream `kubectl kustomize` or `helm template` prints) into
 * resources keyed by group, kind, namespace and name. Empty documents are skipped, `kind: List`
 * is unpacked, and `source` names the side in errors ("the target branch's render").
 */
export function readManifests(text: string, source: string): ManifestSet {
  if (text.length > MAX_MANIFEST_CHARS) throw new Error(`${source} is ${text.length} characters of YAML, more than the ${MAX_MANIFEST_CHARS} a diff reads`);
  const set: ManifestSet = new Map();
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    if (document.errors.length > 0) throw new Error(`${source}, document ${index + 1}: ${document.errors[0]?.message ?? "not YAML"}`);
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    for (const object of unpack(value)) {
      const key = keyOf(object, `${source}, document ${index + 1}`);
      set.set(resourceKeyId(key), { key, object });
      if (set.size > MAX_RESOURCES) throw new Error(`${source} has more than ${MAX_RESOURCES} resources; a diff that large would not be read`);
    }
  });
  return set;
}

function unpack(value: unknown): Record<string, unknown>[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== "object" || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  if (typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items)) return (object.items as unknown[]).flatMap(unpack);
  return [object];
}

/** A resource's identity from its apiVersion, kind and metadata. */
export function keyOf(object: Record<string, unknown>, where: string): ResourceKey {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (typeof object.kind !== "string" || typeof metadata.name !== "string") throw new Error(`${where}: a resource without kind or metadata.name`);
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  return {
    group: apiVersion.includes("/") ? (apiVersion.split("/")[0] as string) : "",
    kind: object.kind,
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : "",
    name: metadata.name,
  };
}
