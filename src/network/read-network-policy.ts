import type { AddressGuard, AllowListSetting, NetworkPolicy } from "./types.js";

/** Discovery (registries, chart repositories, git hosts outside GitHub) is checked against this setting. */
export const DISCOVERY_SETTING: AllowListSetting = "STAGECOACH_ALLOW_PRIVATE_REGISTRIES";
/** Promotion steps (`http`) and verification probes are checked against this one. */
export const PROMOTION_SETTING: AllowListSetting = "STAGECOACH_ALLOW_PRIVATE_HOSTS";

/**
 * Which non-public hosts discovery may reach, from STAGECOACH_ALLOW_PRIVATE_REGISTRIES: `*` (or
 * `true`) allows every loopback/private address, otherwise a comma-separated list of hosts
 * (`registry.internal:5000, 10.0.0.5`). Unset: only public addresses, so a config cannot aim the
 * App at its own network.
 */
export function readDiscoveryNetworkPolicy(env: Record<string, string | undefined>): NetworkPolicy {
  return parseHostAllowList(env[DISCOVERY_SETTING]);
}

/** The same for the `http` step and verification probes, from STAGECOACH_ALLOW_PRIVATE_HOSTS. */
export function readPromotionNetworkPolicy(env: Record<string, string | undefined>): NetworkPolicy {
  return parseHostAllowList(env[PROMOTION_SETTING]);
}

/** `*`/`true`, or a comma-separated host list, as the STAGECOACH_ALLOW_PRIVATE_* variables are written. */
export function parseHostAllowList(text: string | undefined): NetworkPolicy {
  const value = text?.trim();
  if (!value) return {};
  if (value === "*" || value.toLowerCase() === "true") return { allowPrivateNetworks: true };
  const hosts = value
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  // A host:port entry also allows the bare host, since DNS answers are checked by name.
  return { allowedPrivateHosts: [...new Set(hosts.flatMap((h) => [h, h.replace(/:\d+$/, "").replace(/^\[|\]$/g, "")]))] };
}

/** True when the policy lets this host (bare, lowercased, without brackets) be reached whatever it resolves to. */
export function isHostAllowed(policy: NetworkPolicy, host: string, port?: number): boolean {
  if (policy.allowPrivateNetworks) return true;
  const names = port === undefined ? [host] : [host, `${host}:${port}`, `[${host}]:${port}`];
  return policy.allowedPrivateHosts?.some((entry) => names.includes(entry.toLowerCase())) ?? false;
}

/** The guard discovery uses. */
export function discoveryGuard(policy: NetworkPolicy | undefined): AddressGuard {
  return { policy: policy ?? {}, setting: DISCOVERY_SETTING };
}

/** The guard promotion steps and verification probes use. */
export function promotionGuard(policy: NetworkPolicy | undefined): AddressGuard {
  return { policy: policy ?? {}, setting: PROMOTION_SETTING };
}
