import { describe, expect, it } from "vitest";
import { parseGitHubRepoURL } from "../../../src/promotion/workspace/parse-github-repo-url.js";

describe("parseGitHubRepoURL", () => {
  it.each([
    ["https://github.com/acme/gitops", { owner: "acme", repo: "gitops" }],
    ["https://github.com/acme/gitops.git", { owner: "acme", repo: "gitops" }],
    ["https://github.com/acme/gitops/", { owner: "acme", repo: "gitops" }],
    ["git@github.com:acme/gitops.git", { owner: "acme", repo: "gitops" }],
  ])("reads %s", (url, expected) => {
    expect(parseGitHubRepoURL(url)).toEqual(expected);
  });

  it("reads the sandbox's /_git/ URLs on its host", () => {
    expect(parseGitHubRepoURL("http://127.0.0.1:4567/_git/acme/gitops.git", ["127.0.0.1:4567"])).toEqual({ owner: "acme", repo: "gitops" });
  });

  it.each(["https://gitlab.com/acme/gitops", "https://github.com.evil.io/acme/gitops", "https://github.com/acme", "https://github.com/acme/gitops/tree/main", "not a url", "git@gitlab.com:acme/x.git"])(
    "is not fooled by %s",
    (url) => {
      expect(parseGitHubRepoURL(url)).toBeUndefined();
    },
  );
});
