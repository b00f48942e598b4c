import { describe, expect, it } from "vitest";
import { computeFreightId } from "../../src/freight/compute-freight-id.js";
import { normalizeChartReference, normalizeGitURL, normalizeImageRepository, parseImageRepository } from "../../src/freight/normalize-urls.js";

// Expected IDs were computed outside this code: `printf '%s' '<canonical string>' | sha1sum`, with the
// canonical string written by hand from Kargo's rules (pkg/api/freight.go, pkg/urls).
describe("computeFreightId", () => {
  const origin = { kind: "Warehouse", name: "app" };

  it("hashes one image as repoURL:tag@digest", () => {
    expect(computeFreightId(origin, { images: [{ repoURL: "ghcr.io/acme/app", tag: "1.2.3", digest: "sha256:aaaa" }] })).toBe("6061773aa35e02e9da52c06f8f6848d13b371eca");
  });

  it("sorts image, commit and chart parts byte-wise and normalises git and chart URLs", () => {
    const id = computeFreightId(origin, {
      charts: [{ repoURL: "https://Charts.Example.com/stable/", name: "guestbook", version: "0.4.1" }],
      commits: [{ repoURL: "https://user@GitHub.com/acme/app.git", id: "0123456789abcdef0123456789abcdef01234567", tag: "v1.0.0" }],
      images: [{ repoURL: "ghcr.io/acme/app", tag: "1.2.3", digest: "sha256:aaaa" }],
    });
    expect(id).toBe("ff199c2c243a2134954be28be65df0dc9a4873ae");
  });

  it("strips oci:// from chart repositories and keeps Docker Hub images as written", () => {
    const id = computeFreightId(
      { kind: "Warehouse", name: "web" },
      { images: [{ repoURL: "nginx", tag: "1.27", digest: "sha256:bbbb" }], charts: [{ repoURL: "oci://ghcr.io/acme/charts/web", version: "2.0.0" }] },
    );
    expect(id).toBe("2c0425c8ac6d05ecfb70386cd35c672c64a6a1f7");
  });

  it("gives new freight when a mutable tag's digest changes, and the same ID whatever the artifact order", () => {
    const a = computeFreightId(origin, { images: [{ repoURL: "ghcr.io/acme/app", tag: "latest", digest: "sha256:1" }, { repoURL: "ghcr.io/acme/api", tag: "1", digest: "sha256:2" }] });
    const b = computeFreightId(origin, { images: [{ repoURL: "ghcr.io/acme/api", tag: "1", digest: "sha256:2" }, { repoURL: "ghcr.io/acme/app", tag: "latest", digest: "sha256:1" }] });
    const c = computeFreightId(origin, { images: [{ repoURL: "ghcr.io/acme/app", tag: "latest", digest: "sha256:3" }, { repoURL: "ghcr.io/acme/api", tag: "1", digest: "sha256:2" }] });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});

describe("URL normal forms", () => {
  it.each([
    ["https://github.com/acme/app", "https://github.com/acme/app"],
    ["https://GitHub.com/Acme/App.git/", "https://github.com/acme/app"],
    ["https://token:x@github.com/acme/app.git", "https://github.com/acme/app"],
    ["git@github.com:acme/app.git", "ssh://git@github.com/acme/app"],
    ["ssh://git@github.com/acme/app.git", "ssh://git@github.com/acme/app"],
    ["https://example.com/repo?ref=main", "https://example.com/repo?ref=main"],
    ["  https://github.com/acme/app\uFEFF ", "https://github.com/acme/app"],
  ])("git %s → %s", (input, expected) => expect(normalizeGitURL(input)).toBe(expected));

  it.each([
    ["nginx", "nginx"],
    ["docker.io/library/nginx", "nginx"],
    ["index.docker.io/acme/app:1.0", "acme/app"],
    ["GHCR.io/Acme/App", "ghcr.io/acme/app"],
    ["localhost:5000/app@sha256:" + "a".repeat(64), "localhost:5000/app"],
  ])("image %s → %s", (input, expected) => expect(normalizeImageRepository(input)).toBe(expected));

  it("splits image references into the registry clients dial and the repository path", () => {
    expect(parseImageRepository("nginx")).toEqual({ registry: "registry-1.docker.io", path: "library/nginx" });
    expect(parseImageRepository("acme/app:1.0")).toEqual({ registry: "registry-1.docker.io", path: "acme/app" });
    expect(parseImageRepository("127.0.0.1:5000/team/app")).toEqual({ registry: "127.0.0.1:5000", path: "team/app" });
    expect(parseImageRepository("https://ghcr.io/acme/app")).toBeUndefined();
    expect(parseImageRepository("ghcr.io/../etc")).toBeUndefined();
    expect(parseImageRepository("ghcr.io/acme/has space")).toBeUndefined();
  });

  it("joins chart repositories and names the way Go's path.Join does", () => {
    expect(normalizeChartReference("https://charts.example.com/stable/", "guestbook")).toBe("https:/charts.example.com/stable/guestbook");
    expect(normalizeChartReference("oci://GHCR.io/acme/charts/web")).toBe("ghcr.io/acme/charts/web");
  });
});
