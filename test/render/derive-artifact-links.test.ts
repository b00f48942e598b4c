import { describe, expect, it } from "vitest";
import { commitLink, imageLink } from "../../src/render/derive-artifact-links.js";

describe("imageLink", () => {
  it.each([
    ["nginx", "https://hub.docker.com/_/nginx"],
    ["acme/app", "https://hub.docker.com/r/acme/app"],
    ["docker.io/library/redis", "https://hub.docker.com/_/redis"],
    ["docker.io/acme/app", "https://hub.docker.com/r/acme/app"],
    ["index.docker.io/acme/app", "https://hub.docker.com/r/acme/app"],
    ["quay.io/acme/app", "https://quay.io/repository/acme/app"],
    ["ghcr.io/acme/app", undefined],
    ["localhost:5000/app", undefined],
    ["registry.example.com/team/app", undefined],
  ])("%s", (repoURL, link) => {
    expect(imageLink(repoURL)).toBe(link);
  });
});

describe("commitLink", () => {
  const sha = "0123456789abcdef0123456789abcdef01234567";
  it.each([
    ["https://github.com/acme/app", `https://github.com/acme/app/commit/${sha}`],
    ["https://github.com/acme/app.git", `https://github.com/acme/app/commit/${sha}`],
    ["git@github.com:acme/app.git", `https://github.com/acme/app/commit/${sha}`],
    ["ssh://git@github.com/acme/app", `https://github.com/acme/app/commit/${sha}`],
    ["https://gitlab.com/acme/group/app.git", `https://gitlab.com/acme/group/app/-/commit/${sha}`],
    ["https://bitbucket.org/acme/app", `https://bitbucket.org/acme/app/commits/${sha}`],
    ["https://git.example.com/acme/app", undefined],
    ["https://github.com", undefined],
  ])("%s", (repoURL, link) => {
    expect(commitLink(repoURL, sha)).toBe(link);
  });
});
