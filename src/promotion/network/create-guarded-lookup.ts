import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isNonPublicAddress } from "./check-public-address.js";

export interface NetworkPolicy {
  allowPrivateNetworks?: boolean;
  allowedPrivateHosts?: string[];
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for socket connections that resolves the name, refuses it when any address is not
 * public (unless the policy allows the host), and connects to the address it checked, so a second
 * DNS answer cannot swap in a private one.
 */
export function createGuardedLookup(policy: NetworkPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = policy.allowPrivateNetworks || policy.allowedPrivateHosts?.includes(hostname) ? [] : addresses.filter((a) => isNonPublicAddress(a.address));
      if (refused.length > 0) {
        return callback(privateNetworkError(hostname, refused.map((a) => a.address)), []);
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: "ENOTFOUND" }), []);
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

export function privateNetworkError(host: string, addresses: string[]): NodeJS.ErrnoException {
  return Object.assign(
    new Error(`${host} resolves to a non-public address (${addresses.join(", ")}); loopback, link-local and private networks are refused unless the app's configuration allows them`),
    { code: "EPRIVATENETWORK" },
  );
}
