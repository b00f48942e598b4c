import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLocalConfigSource, loadProject, parseExtends, type ConfigSource } from "../../src/config/index.js";
import { lines } from "./support.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "stagecoach-config-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes files into `<root>/<owner>/<repo>/`, standing in for repositories. */
async function repoFiles(owner: string, repo: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, owner, repo, path);
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(file, text);
  }
}

// Another repository is read from its own directory, labelled owner/repo:path like on GitHub.
const repositories = (owner: string, repo: string): ConfigSource => {
  const local = createLocalConfigSource(join(root, owner, repo));
  return { ...local, label: (path) => `${owner}/${repo}:${path}` };
};
const own = () => {
  const local = createLocalConfigSource(join(root, "acme", "gitops"));
  return { ...local, label: (path: string) => path };
};
const options = { projectName: "gitops", repository: { owner: "acme", repo: "gitops" }, repositories };

const ORG_DEFAULTS = [
  "repoURL: https://github.com/acme/gitops",
  "warehouses:",
  "  - name: app",
  "    subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }]",
  "stages:",
  "  - name: dev",
  "    from: app",
  "    kustomize: { path: env/dev, image: ghcr.io/acme/app }",
  "    github: { reviewers: [alice], labels: [org] }",
  "  - name: prod",
  "    from: dev",
  "    kustomize: { path: env/prod, image: ghcr.io/acme/app }",
  "    github: { requiredApprovals: 1, mergeMethod: rebase }",
].join("\n");

describe("loadProject", () => {
  it("reads Kargo manifests from .github/stagecoach/ in a checkout", async () => {
    await repoFiles("acme", "gitops", {
      ".github/stagecoach/warehouse.yaml": "apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\nmetadata: { name: app, namespace: shop }\nspec:\n  subscriptions: [{ chart: { repoURL: oci://ghcr.io/acme/charts/app } }]\n",
      ".github/stagecoach/README.md": "not a manifest",
    });
    const result = await loadProject(own(), options);
    expect(result.form).toBe("kargo");
    expect(result.files).toEqual([".github/stagecoach/warehouse.yaml"]);
    expect(result.project?.name).toBe("shop");
    expect(result.project?.warehouses[0]?.spec.subscriptions[0]?.chart).toEqual({ repoURL: "oci://ghcr.io/acme/charts/app", discoveryLimit: 20 });
  });

  it("merges _extends files by name: the repository's stage overrides one field, the rest comes from the org", async () => {
    await repoFiles("acme", ".github", { "pipelines/base.yml": ORG_DEFAULTS });
    await repoFiles("acme", "gitops", {
      ".github/stagecoach.yml": "_extends: .github:pipelines/base.yml\nstages:\n  - name: prod\n    github: { requiredApprovals: 3, labels: [prod] }\n  - name: qa\n    from: dev\n",
    });
    const result = await loadProject(own(), options);
    expect(lines(result.diagnostics)).toEqual([]);
    expect(result.files).toEqual([".github/stagecoach.yml", "acme/.github:pipelines/base.yml"]);
    expect(result.project?.stages.map((s) => s.name)).toEqual(["dev", "prod", "qa"]);
    const prod = result.project?.stages[1];
    expect(prod?.spec.github).toMatchObject({ requiredApprovals: 3, mergeMethod: "rebase", labels: ["prod"] });
    expect(prod?.spec.promotionTemplate?.spec.steps).toHaveLength(6);
  });

  it("reports each mistake in the file it came from, extended or not", async () => {
    await repoFiles("acme", ".github", { ".github/stagecoach.yml": ORG_DEFAULTS.replace("mergeMethod: rebase", "mergeMethod: ff") });
    await repoFiles("acme", "gitops", { ".github/stagecoach.yml": "_extends: .github\nstages:\n  - name: dev\n    github: { requiredApprovals: -1 }\n" });
    const result = await loadProject(own(), options);
    expect(result.valid).toBe(false);
    expect(lines(result.diagnostics)).toEqual([
      ".github/stagecoach.yml:4:15: stages[0].github.requiredApprovals: Too small: expected number to be >=0",
      'acme/.github:.github/stagecoach.yml:13:37: stages[1].github.mergeMethod: must be one of "merge", "squash", "rebase"',
    ]);
  });

  it("falls back to the owner's .github repository when the repository has no file (Probot's rule)", async () => {
    await repoFiles("acme", ".github", { ".github/stagecoach.yml": ORG_DEFAULTS });
    await mkdir(join(root, "acme", "gitops"), { recursive: true });
    const result = await loadProject(own(), options);
    expect(result.files).toEqual(["acme/.github:.github/stagecoach.yml"]);
    expect(result.project?.stages).toHaveLength(2);
  });

  it("stops an _extends loop, a missing target and a malformed value with an error at the _extends line", async () => {
    await repoFiles("acme", "a", { ".github/stagecoach.yml": "_extends: b\n" });
    await repoFiles("acme", "b", { ".github/stagecoach.yml": "_extends: acme/a\n" });
    await repoFiles("acme", "gitops", { ".github/stagecoach.yml": "stages: []\n_extends: a\n" });
    const loop = await loadProject(own(), options);
    expect(lines(loop.diagnostics)).toEqual(["acme/b:.github/stagecoach.yml:1:1: _extends: acme/a:.github/stagecoach.yml was already loaded (the files extend each other in a loop): remove one _extends"]);
    expect(loop.valid).toBe(false);

    await repoFiles("acme", "gitops", { ".github/stagecoach.yml": "_extends: nowhere\n" });
    expect(lines((await loadProject(own(), options)).diagnostics)).toEqual([
      ".github/stagecoach.yml:1:1: _extends: acme/nowhere:.github/stagecoach.yml does not exist (or the app cannot read it): fix the name or install the app on acme/nowhere",
    ]);

    await repoFiles("acme", "gitops", { ".github/stagecoach.yml": "_extends: ../../etc/passwd\n" });
    expect(lines((await loadProject(own(), options)).diagnostics)).toEqual([
      '.github/stagecoach.yml:1:1: "../../etc/passwd" is not a valid _extends: use repo, owner/repo or owner/repo:path.yml',
    ]);
  });

  it("parses _extends values like Probot", () => {
    expect(parseExtends("base", "acme", ".github/stagecoach.yml")).toEqual({ owner: "acme", repo: "base", path: ".github/stagecoach.yml" });
    expect(parseExtends("other/base:ci/pipe.yaml", "acme", "x.yml")).toEqual({ owner: "other", repo: "base", path: "ci/pipe.yaml" });
    expect(parseExtends("other/base:ci/pipe.json", "acme", "x.yml")).toBeUndefined();
    expect(parseExtends(42, "acme", "x.yml")).toBeUndefined();
  });
});
