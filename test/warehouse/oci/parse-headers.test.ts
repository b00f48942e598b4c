import { describe, expect, it } from "vitest";
import { createConcurrencyLimiter } from "../../../src/warehouse/oci/limit-concurrency.js";
import { nextLinkOf } from "../../../src/warehouse/oci/parse-link-header.js";
import { parseWwwAuthenticate } from "../../../src/warehouse/oci/parse-www-authenticate.js";

describe("parseWwwAuthenticate", () => {
  it("reads Docker Hub's Bearer challenge", () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/nginx:pull" },
    });
  });

  it("reads Basic with a realm, bare values, spaces and escaped quotes", () => {
    expect(parseWwwAuthenticate('Basic realm="Registry \\"main\\""')).toEqual({ scheme: "basic", params: { realm: 'Registry "main"' } });
    expect(parseWwwAuthenticate("bearer realm=https://x.example/token , service=x")).toEqual({ scheme: "bearer", params: { realm: "https://x.example/token", service: "x" } });
  });

  it("answers undefined for a missing header or an unknown scheme", () => {
    expect(parseWwwAuthenticate(null)).toBeUndefined();
    expect(parseWwwAuthenticate("Negotiate abc")).toBeUndefined();
    expect(parseWwwAuthenticate("")).toBeUndefined();
  });
});

describe("nextLinkOf", () => {
  it("resolves a relative next link against the request", () => {
    expect(nextLinkOf('</v2/app/tags/list?n=2&last=b>; rel="next"', "http://127.0.0.1:5000/v2/app/tags/list?n=2")).toBe("http://127.0.0.1:5000/v2/app/tags/list?n=2&last=b");
  });

  it("picks rel=next among several links and ignores the rest", () => {
    expect(nextLinkOf('<https://r.example/a>; rel="prev", <https://r.example/b>; rel=next', "https://r.example/x")).toBe("https://r.example/b");
    expect(nextLinkOf('<https://r.example/a>; rel="prev"', "https://r.example/x")).toBeUndefined();
    expect(nextLinkOf(null, "https://r.example/x")).toBeUndefined();
    expect(nextLinkOf("garbage", "https://r.example/x")).toBeUndefined();
  });
});

describe("createConcurrencyLimiter", () => {
  it("never runs more than the limit per key, and keys do not wait for each other", async () => {
    const run = createConcurrencyLimiter(2);
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const task = (key: string) =>
      run(key, async () => {
        active.set(key, (active.get(key) ?? 0) + 1);
        peak.set(key, Math.max(peak.get(key) ?? 0, active.get(key)!));
        await new Promise((resolve) => setTimeout(resolve, 5));
        active.set(key, active.get(key)! - 1);
        return key;
      });
    const results = await Promise.all([...Array.from({ length: 6 }, () => task("a")), ...Array.from({ length: 3 }, () => task("b"))]);
    expect(results.filter((r) => r === "a")).toHaveLength(6);
    expect(peak.get("a")).toBe(2);
    expect(peak.get("b")).toBe(2);
  });

  it("frees the slot when a task fails", async () => {
    const run = createConcurrencyLimiter(1);
    await expect(run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(run("a", async () => "next")).resolves.toBe("next");
  });
});
