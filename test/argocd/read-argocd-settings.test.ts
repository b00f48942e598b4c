import { describe, expect, it } from "vitest";
import { readArgoCdSettings } from "../../src/argocd/read-argocd-settings.js";

describe("readArgoCdSettings", () => {
  it("is off without ARGOCD_SERVER", () => {
    expect(readArgoCdSettings({ ARGOCD_TOKEN: "t" })).toBeUndefined();
  });

  it.each([
    [{ ARGOCD_SERVER: "https://argocd.acme.dev", ARGOCD_TOKEN: "t" }, { server: "https://argocd.acme.dev", token: "t", insecureSkipTLSVerify: false }],
    [{ ARGOCD_SERVER: "argocd.acme.dev:8443", ARGOCD_TOKEN: "t", ARGOCD_INSECURE_SKIP_TLS_VERIFY: "TRUE", ARGOCD_TIMEOUT_MS: "3000" }, { server: "https://argocd.acme.dev:8443", token: "t", insecureSkipTLSVerify: true, timeoutMs: 3000 }],
  ])("reads %j", (env, expected) => {
    expect(readArgoCdSettings(env)).toEqual(expected);
  });

  it("lists every problem at once and never echoes the token", () => {
    const read = () => readArgoCdSettings({ ARGOCD_SERVER: "argocd", ARGOCD_INSECURE_SKIP_TLS_VERIFY: "yes", ARGOCD_TIMEOUT_MS: "-1" });
    expect(read).toThrow("ARGOCD_TOKEN is not set");
    expect(read).toThrow('ARGOCD_INSECURE_SKIP_TLS_VERIFY must be true or false, got "yes"');
    expect(read).toThrow('ARGOCD_TIMEOUT_MS must be a positive number of milliseconds, got "-1"');
  });
});
