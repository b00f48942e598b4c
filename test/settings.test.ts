import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSettings, SettingsError } from "../src/settings.js";
import { generateAppKeyPair } from "./support/app-keys.js";

const { privateKey } = generateAppKeyPair();

describe("readSettings", () => {
  it("reads a complete environment", () => {
    const settings = readSettings({ APP_ID: "123", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s", PORT: "8080", REDIS_URL: "redis://r:6379" });
    expect(settings).toMatchObject({ appId: 123, webhookSecret: "s", port: 8080, redisUrl: "redis://r:6379", host: "0.0.0.0" });
    expect(settings.githubApiUrl).toBeUndefined();
  });

  it("names every missing variable and how to get it, in one error", () => {
    let error: unknown;
    try {
      readSettings({});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const message = (error as Error).message;
    expect(message).toContain("APP_ID is not set");
    expect(message).toContain("PRIVATE_KEY (the PEM text) or PRIVATE_KEY_PATH (a .pem file) is not set");
    expect(message).toContain("WEBHOOK_SECRET is not set");
  });

  it("refuses a non-numeric APP_ID, a bad port, a non-PEM key and a non-redis URL, without echoing the key", () => {
    const secretLookingKey = "super-secret-not-a-pem";
    let message = "";
    try {
      readSettings({ APP_ID: "abc", PRIVATE_KEY: secretLookingKey, WEBHOOK_SECRET: "s", PORT: "99999", REDIS_URL: "http://x" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('APP_ID must be a positive integer, got "abc"');
    expect(message).toContain('PORT must be a port number, got "99999"');
    expect(message).toContain("PRIVATE_KEY does not look like a PEM private key");
    expect(message).toContain("REDIS_URL must start with redis://");
    expect(message).not.toContain(secretLookingKey);
  });

  it("reads the key from PRIVATE_KEY_PATH and accepts escaped newlines in PRIVATE_KEY", () => {
    const dir = mkdtempSync(join(tmpdir(), "stagecoach-settings-"));
    const path = join(dir, "app.pem");
    writeFileSync(path, privateKey);
    expect(readSettings({ APP_ID: "1", PRIVATE_KEY_PATH: path, WEBHOOK_SECRET: "s" }).privateKey).toBe(privateKey);
    const escaped = privateKey.replace(/\n/g, "\\n");
    expect(readSettings({ APP_ID: "1", PRIVATE_KEY: escaped, WEBHOOK_SECRET: "s" }).privateKey).toBe(privateKey);
  });

  it("says which path could not be read", () => {
    expect(() => readSettings({ APP_ID: "1", PRIVATE_KEY_PATH: "/nonexistent/app.pem", WEBHOOK_SECRET: "s" })).toThrow(
      "PRIVATE_KEY_PATH points at /nonexistent/app.pem, which cannot be read (ENOENT)",
    );
  });

  it("derives the API URL for GitHub Enterprise Server", () => {
    expect(readSettings({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s", GHE_HOST: "ghe.example.com" }).githubApiUrl).toBe(
      "https://ghe.example.com/api/v3",
    );
  });

  it("reads the Argo CD connection, and refuses a server without a token or a bad flag with the variable to fix, never echoing the token", () => {
    const base = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s" };
    expect(readSettings({ ...base, ARGOCD_SERVER: "argocd.example.com:8443", ARGOCD_TOKEN: "tok-123" }).argocd).toEqual({ server: "https://argocd.example.com:8443", token: "tok-123", insecureSkipTLSVerify: false });
    expect(readSettings(base).argocd).toBeUndefined();
    let message = "";
    try {
      readSettings({ ...base, ARGOCD_SERVER: "https://argocd.example.com", ARGOCD_INSECURE_SKIP_TLS_VERIFY: "yes" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("ARGOCD_TOKEN is not set");
    expect(message).toContain('ARGOCD_INSECURE_SKIP_TLS_VERIFY must be true or false, got "yes"');
    expect(message.split("\n").filter((line) => line.startsWith("  - ARGOCD"))).toHaveLength(2);
  });

  it("reads which private hosts promotions and probes may reach, and the poll interval, refusing a bad one", () => {
    const base = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s" };
    expect(readSettings(base).promotionNetwork).toEqual({});
    expect(readSettings({ ...base, STAGECOACH_ALLOW_PRIVATE_HOSTS: "health.internal:8080, 10.0.0.5" }).promotionNetwork).toEqual({ allowedPrivateHosts: ["health.internal:8080", "health.internal", "10.0.0.5"] });
    expect(readSettings({ ...base, STAGECOACH_ALLOW_PRIVATE_HOSTS: "*" }).promotionNetwork).toEqual({ allowPrivateNetworks: true });
    expect(readSettings({ ...base, STAGECOACH_POLL_MS: "500" }).pollMs).toBe(500);
    expect(() => readSettings({ ...base, STAGECOACH_POLL_MS: "fast" })).toThrow('STAGECOACH_POLL_MS must be a whole number of milliseconds, at least 100, got "fast".');
    expect(() => readSettings({ ...base, STAGECOACH_POLL_MS: "10" })).toThrow("at least 100");
  });
});
