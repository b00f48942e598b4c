import { Octokit } from "@octokit/rest";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProject } from "../../src/config/index.js";
import { createGitHubConfigSource, githubRepositorySources } from "../../src/github/read-config-files.js";

const API = "https://api.github.com";
const file = (name: string, path: string, text: string) => ({ type: "file", name, path, size: text.length, encoding: "base64", content: Buffer.from(text).toString("base64") });

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(pending).toEqual([]);
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const octokit = () => new Octokit({ auth: "token", log: quiet, request: { retries: 0 } });

describe("createGitHubConfigSource", () => {
  it("loads a pipeline at a ref, following _extends into the org's .github repository", async () => {
    const own = "_extends: .github\nstages:\n  - name: dev\n    from: app\n";
    const org = "warehouses:\n  - name: app\n    subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }]\n";
    nock(API)
      .get("/repos/acme/gitops/contents/.github%2Fstagecoach.yml").query({ ref: "feature" }).reply(200, file("stagecoach.yml", ".github/stagecoach.yml", own))
      .get("/repos/acme/gitops/contents/.github%2Fstagecoach").query({ ref: "feature" }).reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Fstagecoach.yml").reply(200, file("stagecoach.yml", ".github/stagecoach.yml", org));
    const client = octokit();
    const result = await loadProject(createGitHubConfigSource(client, { owner: "acme", repo: "gitops", ref: "feature" }), {
      projectName: "gitops",
      repository: { owner: "acme", repo: "gitops" },
      repositories: githubRepositorySources(client),
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toEqual([".github/stagecoach.yml", "acme/.github:.github/stagecoach.yml"]);
    expect(result.project?.stages[0]?.spec.requestedFreight[0]?.origin.name).toBe("app");
  });

  it("lists only files of a manifest directory, and treats a missing file as absent", async () => {
    nock(API)
      .get("/repos/acme/gitops/contents/.github%2Fstagecoach").reply(200, [file("a.yaml", ".github/stagecoach/a.yaml", "x"), { type: "dir", name: "sub", path: ".github/stagecoach/sub", size: 0 }])
      .get("/repos/acme/gitops/contents/missing.yml").reply(404, { message: "Not Found" });
    const source = createGitHubConfigSource(octokit(), { owner: "acme", repo: "gitops" });
    expect(await source.listDirectory(".github/stagecoach")).toEqual(["a.yaml"]);
    expect(await source.readFile("missing.yml")).toBeUndefined();
  });

  it("names the repository and path when GitHub refuses, and lets the size check refuse a file over 1 MB", async () => {
    nock(API)
      .get("/repos/acme/gitops/contents/.github%2Fstagecoach.yml").reply(403, { message: "Resource not accessible by integration" })
      .get("/repos/acme/gitops/contents/big.yml").reply(200, { type: "file", name: "big.yml", path: "big.yml", size: 2_000_000, encoding: "none", content: "" });
    const source = createGitHubConfigSource(octokit(), { owner: "acme", repo: "gitops" });
    await expect(source.readFile(".github/stagecoach.yml")).rejects.toThrow("reading acme/gitops:.github/stagecoach.yml from GitHub failed: Resource not accessible by integration");
    expect((await source.readFile("big.yml"))?.length).toBe(2_000_000);
  });
});
