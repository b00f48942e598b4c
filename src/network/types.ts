/**
 * Which non-public hosts may be reached. Loopback, link-local, private and every other non-public
 * address is refused unless `allowPrivateNetworks` is on or the host is listed (on-prem registries,
 * tests).
 */
export interface NetworkPolicy {
  allowPrivateNetworks?: boolean;
  /** `host`, `host:port` or `[v6]:port`, lowercased; see parseHostAllowList. */
  allowedPrivateHosts?: string[];
}

/** The App settings that widen a policy; a refusal names the one to change. */
export type AllowListSetting = "STAGECOACH_ALLOW_PRIVATE_REGISTRIES" | "STAGECOACH_ALLOW_PRIVATE_HOSTS";

/** A policy and the setting it was read from: what every outbound request of the App is checked against. */
export interface AddressGuard {
  policy: NetworkPolicy;
  setting: AllowListSetting;
}
