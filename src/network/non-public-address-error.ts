import { isIP } from "node:net";
import { classifyAddress } from "./check-public-address.js";
import type { AllowListSetting } from "./types.js";

/**
 * A request the address guard refused: the host is, or resolves to, an address that is not on the
 * public internet. The message names each address and why it is refused, and the setting that would
 * allow the host. `code` lets callers find it as the `cause` of a failed fetch.
 */
export class NonPublicAddressError extends Error {
  override name = "NonPublicAddressError";
  readonly code = "EPRIVATENETWORK";

  constructor(
    readonly host: string,
    readonly addresses: readonly string[],
    readonly setting: AllowListSetting,
    readonly port?: number,
  ) {
    const listed = addresses.map((a) => `${a}: ${classifyAddress(a) ?? "non-public"}`).join("; ");
    const entry = port === undefined ? host : isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    super(
      `${host} is or resolves to a non-public address (${listed}); loopback, link-local, private and other non-public networks are refused unless the App's settings allow them: set ${setting}=${entry} to allow this host`,
    );
  }

  /** The same refusal, naming the port the connection was for (a DNS lookup does not know it). */
  atPort(port: number): NonPublicAddressError {
    return this.port === undefined ? new NonPublicAddressError(this.host, this.addresses, this.setting, port) : this;
  }
}
