import { isIP } from "node:net";
import { Agent, buildConnector } from "undici";
import { isNonPublicAddress } from "./check-public-address.js";
import { createGuardedLookup } from "./create-guarded-lookup.js";
import { NonPublicAddressError } from "./non-public-address-error.js";
import { isHostAllowed } from "./read-network-policy.js";
import type { AddressGuard } from "./types.js";

export interface GuardedAgentOptions {
  /** False only where a config asked for `insecureSkipTLSVerify`. */
  rejectUnauthorized?: boolean;
  keepAliveTimeout?: number;
}

/**
 * The dispatcher for every request the App makes on a repository's behalf. The guard sits where the
 * socket opens, not where a URL is read, so whatever led to a connection (the configured URL, a
 * redirect, a token realm from a `WWW-Authenticate` challenge, a next-page link) is checked the
 * same way: a literal address is classified before connecting (sockets skip the lookup for those),
 * a name is resolved once, checked, and connected to at exactly the addresses checked.
 */
export function createGuardedAgent(guard: AddressGuard, options: GuardedAgentOptions = {}): Agent {
  const tls = { rejectUnauthorized: options.rejectUnauthorized ?? true };
  const direct = buildConnector(tls);
  const byCheckedName = buildConnector({ ...tls, lookup: createGuardedLookup(guard) });
  const connect: buildConnector.connector = (target, callback) => {
    // undici hands over the host as the URL standard wrote it: IPv4 in dotted decimal, IPv6 without brackets.
    const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
    if (isHostAllowed(guard.policy, host, port)) return direct(target, callback);
    if (isIP(host) !== 0) {
      if (isNonPublicAddress(host)) return callback(new NonPublicAddressError(host, [host], guard.setting, port), null);
      return direct(target, callback);
    }
    byCheckedName(target, (error, socket) => {
      if (error) return callback(error instanceof NonPublicAddressError ? error.atPort(port) : error, null);
      callback(null, socket);
    });
  };
  return new Agent({ connect, ...(options.keepAliveTimeout !== undefined ? { keepAliveTimeout: options.keepAliveTimeout } : {}) });
}
