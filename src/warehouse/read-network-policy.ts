import type { DiscoveryNetworkPolicy } from "./types.js";

/**
 * Which non-public hosts discovery may reach, from STAGECOACH_ALLOW_PRIVATE_REGISTRIES: `*` (or
 * `true`) allows every loopback/private address, otherwise a comma-separated list of hosts
 * (`registry.internal:5000, 10.0.0.5`). Unset: only public addresses, so a config cannot aim the
 * App at its own network.
 */
export function readDiscoveryNetworkPolicy(env: Record<string, string | undefined>): DiscoveryNetworkPolicy {
  return parseHostAllowList(env.STAGECOACH_ALLOW_PRIVATE_REGISTRIES);
}

/** `*`/`true`, or a comma-separated host list, as the STAGECOACH_ALLOW_PRIVATE_* variables are written. */
export function parseHostAllowList(text: string | undefined): DiscoveryNetworkPolicy {
  const value = text?.trim();
  if (!value) return {};
  if (value === "*" || value.toLowerCase() === "true") return { allowPrivateNetworks: true };
  const hosts = value.split(",").map((h) => h.trim()).filter(Boolean);
  // A host:port entry also allows the bare host, since DNS answers are checked by name.
  return { allowedPrivateHosts: [...new Set(hosts.flatMap((h) => [h, h.replace(/:\d+$/, "").replace(/^\[|\]$/g, "")]))] };
}
