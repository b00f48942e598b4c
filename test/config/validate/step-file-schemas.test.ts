import { describe, expect, it } from "vitest";
import { KARGO_STEPS_WITHOUT_RUNNER } from "../../../src/config/validate/check-steps.js";
import { stepFileSchema } from "../../../src/config/validate/step-file-schemas.js";
import { STEPS } from "../../../src/promotion/steps/index.js";

const parse = (uses: string, config: unknown) => {
  const schema = stepFileSchema(uses);
  if (!schema) throw new Error(`no file schema for ${uses}`);
  return schema.safeParse(config);
};

describe("stepFileSchema", () => {
  it("knows every open-source built-in step named in the Kargo reference, plus the deprecated helm-update-image: it runs it, or refuses it by name", () => {
    const reference = [
      "git-clone", "git-clear", "git-commit", "git-push", "github-push", "git-tag", "git-open-pr", "git-wait-for-pr", "git-merge-pr",
      "kustomize-set-image", "kustomize-build", "helm-template", "helm-update-chart", "yaml-update", "json-update", "toml-update",
      "yaml-parse", "json-parse", "toml-parse", "yaml-merge", "copy", "delete", "file-write", "tar", "untar", "http-download",
      "oci-download", "oci-push", "http", "argocd-update", "argocd-wait", "compose-output", "set-metadata", "set-freight-alias", "fail",
      "helm-update-image",
    ];
    expect(reference.filter((uses) => stepFileSchema(uses) === undefined && !KARGO_STEPS_WITHOUT_RUNNER.includes(uses))).toEqual([]);
    expect(KARGO_STEPS_WITHOUT_RUNNER.filter((uses) => uses in STEPS)).toEqual([]);
  });

  it("has a file schema for every step the engine can run, and none for a step it cannot", () => {
    expect(Object.keys(STEPS).filter((uses) => stepFileSchema(uses) === undefined)).toEqual([]);
    expect(KARGO_STEPS_WITHOUT_RUNNER.map(stepFileSchema)).toEqual(KARGO_STEPS_WITHOUT_RUNNER.map(() => undefined));
    expect(stepFileSchema("constructor")).toBeUndefined();
  });

  it("accepts Kargo's field names and expressions where a boolean or number goes", () => {
    const result = parse("git-clone", {
      repoURL: "https://github.com/acme/gitops",
      checkout: [{ branch: "main", path: "./src" }, { branch: "stage/dev", create: "${{ vars.fresh }}", path: "./out" }],
    });
    expect(result.success).toBe(true);
    expect(parse("git-wait-for-pr", { repoURL: "r", prNumber: "${{ outputs['open-pr'].pr.id }}" }).success).toBe(true);
  });

  it("refuses misspelt fields, wrong types and contradictory choices, naming the field", () => {
    const misspelt = parse("kustomize-set-image", { pth: "env/dev", images: [{ image: "a" }] });
    expect(misspelt.success).toBe(false);
    expect(JSON.stringify(misspelt.error?.issues)).toContain("pth");
    const wrongType = parse("git-clone", { repoURL: "r", checkout: [{ path: "p", create: "yes" }] });
    expect(wrongType.error?.issues).toEqual([expect.objectContaining({ path: ["checkout", 0, "create"], message: "Invalid input: expected boolean, received string (or a ${{ }} expression)" })]);
    const both = parse("git-push", { path: "./out", targetBranch: "main", generateTargetBranch: true });
    expect(both.error?.issues[0]?.message).toBe("set only one of targetBranch, generateTargetBranch or tag");
  });

  it("still accepts every field Kargo's pipeline files use, including those the runner ignores", () => {
    const accepted: [string, unknown][] = [
      ["git-clone", { repoURL: "r", insecureSkipTLSVerify: true, author: { name: "a", email: "e", signingKey: "k" }, checkout: [{ path: "p", commit: "abc", sparse: ["charts"], fromOrigin: { kind: "Warehouse", name: "w" } }] }],
      ["git-commit", { path: "p", message: "m", author: { name: "a", email: "e", signingKey: "k" } }],
      ["git-push", { path: "p", generateTargetBranch: true, maxAttempts: 3, provider: "github", force: false }],
      ["git-open-pr", { repoURL: "r", provider: "github", insecureSkipTLSVerify: false, sourceBranch: "s", targetBranch: "t", createTargetBranch: true, title: "t", description: "d", labels: ["l"] }],
      ["git-merge-pr", { repoURL: "r", provider: "gitlab", insecureSkipTLSVerify: true, prNumber: 3, mergeMethod: "squash", wait: true }],
      ["kustomize-build", { path: "p", outPath: "o", plugin: { helm: { apiVersions: ["v1"], kubeVersion: "1.30" } } }],
      ["helm-template", { path: "p", outPath: "o", outLayout: "flat", useReleaseName: true, setValues: [{ key: "k", value: "v", literal: true }], buildDependencies: false, disableHooks: true, skipTests: true }],
      ["copy", { inPath: "a", outPath: "b", ignore: "*.md" }],
      ["helm-update-image", { path: "values.yaml", images: [{ image: "ghcr.io/acme/app", key: "image.tag", value: "Tag" }] }],
    ];
    expect(accepted.filter(([uses, config]) => !parse(uses, config).success).map(([uses]) => uses)).toEqual([]);
  });

  it("keeps the constraints the runner needs, so the file says what the run would refuse", () => {
    expect(parse("helm-template", { path: "p", outPath: "o", releaseName: "My_Release" }).error?.issues[0]?.message).toBe("use lowercase letters, digits and dashes (a DNS-1123 name)");
    expect(parse("helm-template", { path: "p", outPath: "o", releaseName: "${{ vars.release }}" }).success).toBe(true);
    expect(parse("set-freight-alias", { newAlias: "Not An Alias" }).success).toBe(false);
    expect(parse("git-tag", { path: "p", tag: "v1 rc" }).error?.issues[0]?.message).toBe("not a valid git tag name");
    expect(parse("git-push", { path: "p", maxAttempts: 0 }).success).toBe(false);
    expect(parse("kustomize-set-image", { path: "p", images: [{ image: "a", tag: "1", digest: "sha256:0" }] }).error?.issues[0]?.message).toBe("set tag or digest, not both");
  });
});
