import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isNonPublicAddress } from "../../promotion/network/check-public-address.js";
import { DiscoveryError, type DiscoveryNetworkPolicy } from "../types.js";

/**
 * Refuses a host that is, or resolves to, a loopback, link-local or private address unless the
 * network policy allows it, so a config cannot aim discovery at the App's own network. Returns the
 * addresses it checked (none for an IP literal) so the caller can connect to exactly those and a
 * second DNS answer cannot swap in a private one.
 */
export async function checkPublicHost(hostname: string, port: number, network: DiscoveryNetworkPolicy | undefined, field: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const allowed = network?.allowPrivateNetworks || network?.allowedPrivateHosts?.some((h) => [bare, `${bare}:${port}`, `[${bare}]:${port}`].includes(h.toLowerCase()));
  if (isIP(bare) !== 0) {
    if (!allowed && isNonPublicAddress(bare)) throw refusal(field, bare, [bare], port);
    return [];
  }
  let addresses: string[];
  try {
    addresses = (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    throw new DiscoveryError(`${field}: the host ${bare} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? "DNS error"}); check the repoURL's host name. Discovery will retry.`, true);
  }
  const refused = addresses.filter((a) => isNonPublicAddress(a));
  if (refused.length > 0 && !allowed) throw refusal(field, bare, refused, port);
  return addresses;
}

function refusal(field: string, host: string, addresses: string[], port: number): DiscoveryError {
  return new DiscoveryError(
    `${field}: ${host} is or resolves to a non-public address (${addresses.join(", ")}); loopback, link-local and private networks are refused unless the App's configuration allows them (set STAGECOACH_ALLOW_PRIVATE_REGISTRIES=${host}:${port} to allow this host)`,
    false,
  );
}
