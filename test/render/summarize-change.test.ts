import { describe, expect, it } from "vitest";
import type { Freight } from "../../src/pipeline/types.js";
import { summarizeChange } from "../../src/render/summarize-change.js";

function freight(parts: Pick<Freight, "images" | "commits" | "charts">): Freight {
  return { name: "f".repeat(40), origin: { kind: "Warehouse", name: "app" }, createdAt: "2026-11-01T00:00:00Z", status: {}, ...parts };
}

describe("summarizeChange", () => {
  it("lists every artifact as new when the stage runs nothing", () => {
    expect(summarizeChange(freight({ images: [{ repoURL: "ghcr.io/a", tag: "1.0" }] }))).toEqual([
      { artifact: "ghcr.io/a", from: undefined, to: "1.0" },
    ]);
  });

  it("shows old and new versions and leaves unchanged artifacts out", () => {
    const before = freight({
      images: [{ repoURL: "ghcr.io/a", tag: "1.0" }, { repoURL: "ghcr.io/b", tag: "2.0" }],
      commits: [{ repoURL: "https://github.com/acme/cfg", id: "a".repeat(40) }],
      charts: [{ repoURL: "https://charts.acme.dev", name: "app", version: "0.1.0" }],
    });
    const after = freight({
      images: [{ repoURL: "ghcr.io/a", tag: "1.1" }, { repoURL: "ghcr.io/b", tag: "2.0" }],
      commits: [{ repoURL: "https://github.com/acme/cfg", id: "b".repeat(40), tag: "v3" }],
      charts: [{ repoURL: "https://charts.acme.dev", name: "app", version: "0.1.0" }],
    });
    expect(summarizeChange(after, before)).toEqual([
      { artifact: "ghcr.io/a", from: "1.0", to: "1.1" },
      { artifact: "https://github.com/acme/cfg", from: "aaaaaaa", to: "v3" },
    ]);
  });

  it("shows digests when a tag was pushed again with new content", () => {
    const before = freight({ images: [{ repoURL: "ghcr.io/a", tag: "latest", digest: `sha256:${"1".repeat(64)}` }] });
    const after = freight({ images: [{ repoURL: "ghcr.io/a", tag: "latest", digest: `sha256:${"2".repeat(64)}` }] });
    expect(summarizeChange(after, before)).toEqual([
      { artifact: "ghcr.io/a", from: "latest (sha256:111111111111)", to: "latest (sha256:222222222222)" },
    ]);
  });
});
