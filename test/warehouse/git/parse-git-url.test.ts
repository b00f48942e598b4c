import { describe, expect, it } from "vitest";
import { displayRepoURL, gitHubRepositoryOf, parseGitRemote } from "../../../src/warehouse/git/parse-git-url.js";

describe("gitHubRepositoryOf", () => {
  it.each([
    ["https://github.com/acme/app", "github.com", { owner: "acme", repo: "app" }],
    ["https://github.com/acme/app.git", "github.com", { owner: "acme", repo: "app" }],
    ["https://GitHub.com/acme/my.app/", "github.com", { owner: "acme", repo: "my.app" }],
    ["git@github.com:acme/app.git", "github.com", { owner: "acme", repo: "app" }],
    ["ssh://git@github.com/acme/app.git", "github.com", { owner: "acme", repo: "app" }],
    ["http://127.0.0.1:4000/acme/app.git", "127.0.0.1:4000", { owner: "acme", repo: "app" }],
    ["http://127.0.0.1/acme/app.git", "127.0.0.1:4000", undefined],
    ["https://gitlab.com/acme/app", "github.com", undefined],
    ["https://github.com/acme/app/tree/main", "github.com", undefined],
    ["https://github.com/acme", "github.com", undefined],
    ["https://github.com/acme/app?x=1", "github.com", undefined],
    ["not a url", "github.com", undefined],
  ])("%s on %s", (url, host, expected) => {
    expect(gitHubRepositoryOf(url, host)).toEqual(expected);
  });
});

describe("parseGitRemote", () => {
  it("keeps an https URL and finds the port", () => {
    expect(parseGitRemote("https://git.example.com/team/repo.git", "git x")).toEqual({ url: "https://git.example.com/team/repo.git", hostname: "git.example.com", port: 443 });
    expect(parseGitRemote("http://[::1]:8080/r.git", "git x")).toEqual({ url: "http://[::1]:8080/r.git", hostname: "::1", port: 8080 });
  });

  it("hides a password when naming a repoURL", () => {
    expect(displayRepoURL("https://bob:s3cret@git.example.com/r.git")).toBe("https://***@git.example.com/r.git");
    expect(displayRepoURL("https://git.example.com/r.git")).toBe("https://git.example.com/r.git");
  });
});
