import { describe, expect, it } from "vitest";
import { isHostAllowed, parseHostAllowList, readDiscoveryNetworkPolicy, readPromotionNetworkPolicy } from "../../src/network/read-network-policy.js";

describe("parseHostAllowList", () => {
  it("reads *, true, a host list (host:port also allowing the host), or nothing", () => {
    expect(parseHostAllowList(undefined)).toEqual({});
    expect(parseHostAllowList("  ")).toEqual({});
    expect(parseHostAllowList("*")).toEqual({ allowPrivateNetworks: true });
    expect(parseHostAllowList("TRUE")).toEqual({ allowPrivateNetworks: true });
    expect(parseHostAllowList("Registry.Internal:5000, 10.0.0.5,[::1]:8080")).toEqual({ allowedPrivateHosts: ["registry.internal:5000", "registry.internal", "10.0.0.5", "[::1]:8080", "::1"] });
  });

  it("reads discovery's and promotion's settings from their own variables", () => {
    const env = { STAGECOACH_ALLOW_PRIVATE_REGISTRIES: "registry.internal", STAGECOACH_ALLOW_PRIVATE_HOSTS: "*" };
    expect(readDiscoveryNetworkPolicy(env)).toEqual({ allowedPrivateHosts: ["registry.internal"] });
    expect(readPromotionNetworkPolicy(env)).toEqual({ allowPrivateNetworks: true });
  });
});

describe("isHostAllowed", () => {
  const policy = parseHostAllowList("registry.internal:5000, 10.0.0.5, [fd00::5]:443");
  it("matches a host, a host:port and a bracketed IPv6 host:port", () => {
    expect(isHostAllowed(policy, "registry.internal", 5000)).toBe(true);
    expect(isHostAllowed(policy, "10.0.0.5", 80)).toBe(true);
    expect(isHostAllowed(policy, "fd00::5", 443)).toBe(true);
    expect(isHostAllowed(policy, "10.0.0.6", 80)).toBe(false);
    expect(isHostAllowed({}, "10.0.0.5")).toBe(false);
    expect(isHostAllowed({ allowPrivateNetworks: true }, "anything")).toBe(true);
  });
});
