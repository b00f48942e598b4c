import type { ResourceKey } from "./types.js";

/** `apps/Deployment shop/api`, `Service default/web`, `ClusterRole reader`: how a resource is named to people. */
export function formatResourceKey(key: ResourceKey): string {
  const kind = key.group ? `${key.group}/${key.kind}` : key.kind;
  return `${kind} ${key.namespace ? `${key.namespace}/` : ""}${key.name}`;
}

/** Orders resources by group, kind, namespace and name, as Argo CD's diff lists them. */
export function compareResourceKeys(a: ResourceKey, b: ResourceKey): number {
  return a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

export function resourceKeyId(key: ResourceKey): string {
  return JSON.stringify([key.group, key.kind, key.namespace, key.name]);
}
