import { describe, expect, it } from "vitest";
import { classifyAddress, isNonPublicAddress } from "../../src/network/check-public-address.js";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8"],
    ["1.1.1.1"],
    ["140.82.112.3"],
    ["2606:4700:4700::1111"],
    ["2001:4860:4860::8888"],
    ["::ffff:8.8.8.8"],
    ["64:ff9b::808:808"],
    ["2002:808:808::1"],
  ])("%s is public", (address) => {
    expect(classifyAddress(address)).toBeUndefined();
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it.each([
    ["0.0.0.0", "this network"],
    ["10.20.30.40", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["127.0.0.1", "loopback"],
    ["169.254.169.254", "link-local, where cloud metadata lives"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00::2", "unique local"],
    ["fe80::1", "link-local"],
    ["ff02::1", "multicast"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("counts anything that is not an address as non-public", () => {
    expect(classifyAddress("localhost")).toBe("not an IP address");
    expect(classifyAddress("fe80::1%eth0")).toBe("not an IPv6 address the URL standard accepts");
  });
});
