import type { LookupAddress } from "node:dns";
import { checkPublicHost } from "./check-public-host.js";
import type { AddressGuard } from "./types.js";

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for socket connections: resolves the name, refuses it when any address is not public
 * (unless the policy allows the host), and hands the socket the addresses it checked, so a second
 * DNS answer cannot swap in a private one (no DNS rebinding).
 */
export function createGuardedLookup(guard: AddressGuard) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    checkPublicHost(hostname, undefined, guard).then(
      (addresses) => {
        const [first] = addresses as [LookupAddress];
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ""),
    );
  };
}
