import { describe, expect, it } from "vitest";
import { STEP_CONFIG_SCHEMAS } from "../../../src/config/step-schemas/index.js";
import { STEPS } from "../../../src/promotion/steps/index.js";

describe("STEP_CONFIG_SCHEMAS", () => {
  it("covers every open-source built-in step named in the Kargo reference, plus the deprecated helm-update-image", () => {
    const reference = [
      "git-clone", "git-clear", "git-commit", "git-push", "github-push", "git-tag", "git-open-pr", "git-wait-for-pr", "git-merge-pr",
      "kustomize-set-image", "kustomize-build", "helm-template", "helm-update-chart", "yaml-update", "json-update", "toml-update",
      "yaml-parse", "json-parse", "toml-parse", "yaml-merge", "copy", "delete", "file-write", "tar", "untar", "http-download",
      "oci-download", "oci-push", "http", "argocd-update", "argocd-wait", "compose-output", "set-metadata", "set-freight-alias", "fail",
      "helm-update-image",
    ];
    expect(reference.filter((uses) => !(uses in STEP_CONFIG_SCHEMAS))).toEqual([]);
  });

  it("has a schema for every step the engine can run", () => {
    expect(Object.keys(STEPS).filter((uses) => !(uses in STEP_CONFIG_SCHEMAS))).toEqual([]);
  });

  it("accepts Kargo's field names and expressions where a boolean or number goes", () => {
    const result = STEP_CONFIG_SCHEMAS["git-clone"]?.safeParse({
      repoURL: "https://github.com/acme/gitops",
      checkout: [{ branch: "main", path: "./src" }, { branch: "stage/dev", create: "${{ vars.fresh }}", path: "./out" }],
    });
    expect(result?.success).toBe(true);
    expect(STEP_CONFIG_SCHEMAS["git-wait-for-pr"]?.safeParse({ repoURL: "r", prNumber: "${{ outputs['open-pr'].pr.id }}" }).success).toBe(true);
  });

  it("refuses misspelt fields, wrong types and contradictory choices, naming the field", () => {
    const misspelt = STEP_CONFIG_SCHEMAS["kustomize-set-image"]?.safeParse({ pth: "env/dev", images: [{ image: "a" }] });
    expect(misspelt?.success).toBe(false);
    expect(JSON.stringify(misspelt?.error?.issues)).toContain("pth");
    expect(STEP_CONFIG_SCHEMAS["git-clone"]?.safeParse({ repoURL: "r", checkout: [{ path: "p", create: "yes" }] }).success).toBe(false);
    const both = STEP_CONFIG_SCHEMAS["git-push"]?.safeParse({ path: "./out", targetBranch: "main", generateTargetBranch: true });
    expect(both?.error?.issues[0]?.message).toBe("set only one of targetBranch, generateTargetBranch or tag");
  });
});
