import { describe, expect, it } from "vitest";
import { checkPublicHost, normalizeHost } from "../../src/network/check-public-host.js";
import { NonPublicAddressError } from "../../src/network/non-public-address-error.js";
import { discoveryGuard, promotionGuard } from "../../src/network/read-network-policy.js";

describe("normalizeHost", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["[::FFFF:127.0.0.1]", "::ffff:7f00:1"],
    ["Registry.Example.COM", "registry.example.com"],
  ])("%s is %s", (host, normalized) => {
    expect(normalizeHost(host)).toBe(normalized);
  });
});

describe("checkPublicHost", () => {
  it("refuses a literal or a name that resolves to a non-public address, naming the setting to change", async () => {
    const refused = (await checkPublicHost("localhost", 5000, discoveryGuard({})).catch((e: unknown) => e)) as NonPublicAddressError;
    expect(refused).toBeInstanceOf(NonPublicAddressError);
    expect(refused.code).toBe("EPRIVATENETWORK");
    expect(refused.message).toMatch(/^localhost is or resolves to a non-public address \(.*127\.0\.0\.1: loopback.*\); .*set STAGECOACH_ALLOW_PRIVATE_REGISTRIES=localhost:5000 to allow this host$/);
    await expect(checkPublicHost("0x7f.1", undefined, promotionGuard({}))).rejects.toThrow(/^127\.0\.0\.1 is or resolves .*set STAGECOACH_ALLOW_PRIVATE_HOSTS=127\.0\.0\.1 to allow/);
    await expect(checkPublicHost("::1", 8080, promotionGuard({}))).rejects.toThrow("set STAGECOACH_ALLOW_PRIVATE_HOSTS=[::1]:8080 to allow this host");
  });

  it("returns the addresses it checked, for the caller to connect to", async () => {
    expect(await checkPublicHost("8.8.8.8", 53, discoveryGuard({}))).toEqual([{ address: "8.8.8.8", family: 4 }]);
    const allowed = await checkPublicHost("localhost", 5000, discoveryGuard({ allowedPrivateHosts: ["localhost:5000"] }));
    expect(allowed.map((a) => a.address)).toContain("127.0.0.1");
  });

  it("passes a DNS failure on as it came", async () => {
    await expect(checkPublicHost("no-such-host.invalid", 443, discoveryGuard({}))).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) });
  });
});
