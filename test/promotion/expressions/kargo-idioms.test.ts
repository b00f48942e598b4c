import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { evaluateTemplate, evaluateValue, type ExpressionContext } from "../../../src/promotion/expressions/index.js";

// What Kargo's own docs and real pipelines write inside ${{ }}, evaluated over a promotion's data.
const context: ExpressionContext = {
  ctx: {
    project: "guestbook",
    stage: "uat",
    promotion: "uat.01j2.abc",
    targetFreight: { name: "f3a9", alias: "wiggly-tuatara", origin: { name: "app" } },
    meta: { promotion: { actor: "alice", rollback: false } },
  },
  vars: { gitRepo: "https://github.com/acme/gitops.git", imageRepo: "ghcr.io/acme/app", tags: ["v1.2.0", "latest", "v1.3.0-rc.1"], x: "blue" },
  outputs: { "open-pr": { pr: { id: 42, url: "https://github.com/acme/gitops/pull/42" }, prNumber: 42 }, commit: { commit: "9f1c2e3" }, "wait-for-pr": { commit: "abc1234" } },
  task: { outputs: { "read-version": { currentVersion: "1.2.0" } } },
  freight: [{ name: "f3a9", origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.3.0-rc.1", digest: "sha256:d1" }] }],
  stepStatus: { success: () => true, failure: () => false, status: () => "Succeeded" },
  clock: { now: () => new Date("2025-03-01T08:00:00Z") },
};

describe("Kargo manifest idioms", () => {
  it.each([
    ['${{ imageFrom("ghcr.io/acme/app").Tag }}', "1.3.0-rc.1"],
    ["${{ imageFrom(vars.imageRepo).Digest }}", "sha256:d1"],
    ["${{ outputs['open-pr'].pr.id }}", 42],
    ["${{ outputs['open-pr'].prNumber }}", 42],
    ["${{ ctx.targetFreight.alias }}", "wiggly-tuatara"],
    ["${{ now() }}", "2025-03-01T08:00:00Z"],
    ['${{ imageFrom(vars.imageRepo).Tag matches "rc" }}', true],
    ['${{ quote({"a": vars.x}) }}', '{"a":"blue"}'],
    ['${{ vars.tags | filter(# startsWith "v") | len() }}', 2],
    ["${{ status('open-pr') == 'Succeeded' }}", true],
    ["stage/${{ ctx.stage }}", "stage/uat"],
    ["example-${{ ctx.stage }}", "example-uat"],
    ["${{ outputs.commit.commit }}", "9f1c2e3"],
    ["${{ semverParse(task.outputs['read-version'].currentVersion).IncMinor().String() }}", "1.3.0"],
    ["${{ semverDiff(imageFrom(vars.imageRepo).Tag, task.outputs['read-version'].currentVersion) == 'Minor' }}", true],
    ["${{ ctx.meta.promotion.rollback ? 'rollback' : 'forward' }}", "forward"],
    ['${{ "Hello, world!" }}', "Hello, world!"],
    ["Promoted ${{ ctx.targetFreight.alias }} by ${{ ctx.meta.promotion.actor }}", "Promoted wiggly-tuatara by alice"],
    ["${{ vars.gitRepo | replace('.git', '') }}", "https://github.com/acme/gitops"],
    ["${{ len(vars.tags) > 0 && success() }}", true],
    ["${{ join(map(vars.tags, upper(#)), ',') }}", "V1.2.0,LATEST,V1.3.0-RC.1"],
  ])("%s", (text, expected) => {
    expect(evaluateTemplate(text, context)).toEqual(expected);
  });

  it("evaluates a Kargo step config the way Kargo does (values only, types read back)", () => {
    const steps = parse(`
- uses: git-open-pr
  as: open-pr
  config:
    repoURL: \${{ vars.gitRepo }}
    createTargetBranch: true
    sourceBranch: \${{ outputs.push?.branch ?? ('stage/' + ctx.stage) }}
    targetBranch: stage/\${{ ctx.stage }}
    title: "Promote \${{ imageFrom(vars.imageRepo).Tag }} to \${{ ctx.stage }}"
- uses: set-metadata
  config:
    updates:
    - kind: Stage
      name: \${{ ctx.stage }}
      values:
        deployedAt: \${{ now() }}
        replicas: \${{ 2 + 1 }}
        version: \${{ quote(1.10) }}
        "\${{ not.a.key }}": kept
- uses: argocd-update
  config:
    apps:
    - name: guestbook-\${{ ctx.stage }}
      sources:
      - repoURL: \${{ vars.gitRepo }}
        desiredRevision: \${{ outputs['wait-for-pr'].commit }}
`) as { config: unknown }[];
    expect(steps.map((s) => evaluateValue(s.config, context, "config"))).toEqual([
      { repoURL: "https://github.com/acme/gitops.git", createTargetBranch: true, sourceBranch: "stage/uat", targetBranch: "stage/uat", title: "Promote 1.3.0-rc.1 to uat" },
      { updates: [{ kind: "Stage", name: "uat", values: { deployedAt: "2025-03-01T08:00:00Z", replicas: 3, version: "1.1", "${{ not.a.key }}": "kept" } }] },
      { apps: [{ name: "guestbook-uat", sources: [{ repoURL: "https://github.com/acme/gitops.git", desiredRevision: "abc1234" }] }] },
    ]);
  });
});
