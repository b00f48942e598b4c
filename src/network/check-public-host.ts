import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isNonPublicAddress } from "./check-public-address.js";
import { NonPublicAddressError } from "./non-public-address-error.js";
import { isHostAllowed } from "./read-network-policy.js";
import type { AddressGuard } from "./types.js";

/**
 * Refuses a host that is, or resolves to, a non-public address unless the guard's policy allows it,
 * so a config cannot aim the App at its own network. Returns the addresses it checked, so the
 * caller connects to exactly those and a second DNS answer cannot swap in a private one. DNS
 * failures are thrown as they come (`ENOTFOUND`…); a refusal is a NonPublicAddressError.
 */
export async function checkPublicHost(hostname: string, port: number | undefined, guard: AddressGuard): Promise<LookupAddress[]> {
  const host = normalizeHost(hostname);
  const allowed = isHostAllowed(guard.policy, host, port);
  const family = isIP(host);
  if (family !== 0) {
    if (!allowed && isNonPublicAddress(host)) throw new NonPublicAddressError(host, [host], guard.setting, port);
    return [{ address: host, family }];
  }
  const addresses = await lookup(host, { all: true, verbatim: true });
  const refused = addresses.filter((a) => isNonPublicAddress(a.address));
  if (refused.length > 0 && !allowed) {
    throw new NonPublicAddressError(
      host,
      refused.map((a) => a.address),
      guard.setting,
      port,
    );
  }
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no addresses`), { code: "ENOTFOUND" });
  return addresses;
}

/**
 * A host as a URL would carry it: lowercased, without IPv6 brackets, and with IPv4 written in any
 * form the URL standard accepts (`2130706433`, `0x7f.1`, `0177.0.0.1`) turned into dotted decimal,
 * so no spelling slips past the classification.
 */
export function normalizeHost(hostname: string): string {
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  try {
    return new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return bare;
  }
}
