import { describe, expect, it } from "vitest";
import { validateProject } from "../../src/config/index.js";
import { fixture, fixtureDir, lines } from "./support.js";

const options = { projectName: "fallback" };
const native = (path: string) => validateProject({ native: [fixture(path)] }, options);

describe("validateProject: one model from either form", () => {
  const fromNative = native("good/pipeline/.github/stagecoach.yml");
  const fromKargo = validateProject({ kargo: fixtureDir("kargo/pipeline/.github/stagecoach") }, options);

  it("accepts both forms of the dev → uat → prod pipeline without a message", () => {
    expect(lines(fromNative.diagnostics)).toEqual([]);
    expect(lines(fromKargo.diagnostics)).toEqual([]);
    expect(fromNative.valid && fromKargo.valid).toBe(true);
  });

  it("produces the same model from the native short form and the Kargo manifests", () => {
    expect(fromNative.project).toEqual(fromKargo.project);
  });

  it("expands the short form into Kargo's steps, freight sources, policies and GitHub settings", () => {
    const project = fromNative.project;
    expect(project?.name).toBe("guestbook");
    expect(project?.config.promotionPolicies).toEqual([{ stage: "dev", autoPromotionEnabled: true }]);
    const prod = project?.stages.find((s) => s.name === "prod");
    expect(prod?.spec.requestedFreight).toEqual([{ origin: { kind: "Warehouse", name: "app" }, sources: { stages: ["uat"], requiredSoakTime: "1h" } }]);
    expect(prod?.spec.promotionTemplate?.spec.steps.map((s) => s.uses)).toEqual(["git-clone", "kustomize-set-image", "git-commit", "git-push", "git-open-pr", "git-wait-for-pr", "argocd-update", "argocd-wait"]);
    expect(prod?.spec.github).toMatchObject({ pullRequest: true, requiredApprovals: 2, teamReviewers: ["platform"], labels: ["production"], mergeMethod: "squash" });
    expect(project?.warehouses[0]?.spec.subscriptions[0]?.image).toEqual({ repoURL: "ghcr.io/acme/app", constraint: "^1.0.0", imageSelectionStrategy: "SemVer", strictSemvers: true, discoveryLimit: 20 });
  });

  it("pushes straight to the branch when pullRequest is off, and writes a values key with the yaml short form", () => {
    const text = [
      "repoURL: https://github.com/acme/gitops",
      "warehouses: [{ name: app, subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }] }]",
      "stages:",
      "  - name: dev",
      "    from: app",
      "    yaml: { path: env/dev/values.yaml, key: image.tag, image: ghcr.io/acme/app }",
      "    github: { pullRequest: false, targetBranch: env/dev }",
    ].join("\n");
    const result = validateProject({ native: [{ path: "s.yml", text }] }, options);
    expect(lines(result.diagnostics)).toEqual([]);
    const steps = result.project?.stages[0]?.spec.promotionTemplate?.spec.steps ?? [];
    expect(steps.map((s) => s.uses)).toEqual(["git-clone", "yaml-update", "git-commit", "git-push"]);
    expect(steps[1]?.config).toEqual({ path: "./out/env/dev/values.yaml", updates: [{ key: "image.tag", value: "${{ quote(imageFrom('ghcr.io/acme/app').Tag) }}" }] });
    expect(steps[3]?.config).toEqual({ path: "./out", targetBranch: "env/dev" });
  });

  it("fans in from several upstream stages with one requestedFreight per warehouse", () => {
    const text = [
      "warehouses: [{ name: app, subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }] }, { name: cfg, subscriptions: [{ git: { repoURL: https://github.com/acme/cfg } }] }]",
      "stages:",
      "  - { name: east, from: [app, cfg] }",
      "  - { name: west, from: app }",
      "  - { name: prod, from: [east, west], availability: All }",
    ].join("\n");
    const prod = validateProject({ native: [{ path: "s.yml", text }] }, options).project?.stages[2];
    expect(prod?.spec.requestedFreight).toEqual([
      { origin: { kind: "Warehouse", name: "app" }, sources: { stages: ["east", "west"], availabilityStrategy: "All" } },
      { origin: { kind: "Warehouse", name: "cfg" }, sources: { stages: ["east"], availabilityStrategy: "All" } },
    ]);
  });
});

describe("validateProject: Kargo manifests as they are", () => {
  it("reads deprecated fields with a warning naming the replacement, and ignores other kinds out loud", () => {
    const result = validateProject({ kargo: [fixture("kargo/deprecated/pipeline.yaml")] }, options);
    expect(result.valid).toBe(true);
    expect(lines(result.diagnostics)).toEqual([
      "kargo/deprecated/pipeline.yaml:7:3: warning: Project legacy: Project.spec.promotionPolicies is deprecated: move them to a ProjectConfig's spec.promotionPolicies",
      "kargo/deprecated/pipeline.yaml:17:3: warning: spec.shard: unsupported field, ignored (remove it, or check its spelling)",
      "kargo/deprecated/pipeline.yaml:21:9: warning: Warehouse app: image.semverConstraint is deprecated: use constraint (same meaning)",
      "kargo/deprecated/pipeline.yaml:22:9: warning: Warehouse app: image.allowTags is deprecated: use allowTagsRegexes (a list of regular expressions)",
      "kargo/deprecated/pipeline.yaml:23:9: warning: Warehouse app: image.ignoreTags is deprecated: use ignoreTagsRegexes (each tag becomes ^tag$)",
      "kargo/deprecated/pipeline.yaml:39:11: warning: helm-update-image is deprecated: use yaml-update (set the values key to ${{ imageFrom('<repoURL>').Tag }})",
      "kargo/deprecated/pipeline.yaml:42:1: warning: AnalysisTemplate smoke: apiVersion argoproj.io/v1alpha1 is not kargo.akuity.io/v1alpha1; document ignored",
      "kargo/deprecated/pipeline.yaml:48:1: warning: kind Freight is not read from files (Stagecoach reads Project, ProjectConfig, Warehouse, Stage, PromotionTask, ClusterPromotionTask); document ignored",
    ]);
    expect(result.project?.name).toBe("legacy");
    expect(result.project?.config.promotionPolicies).toEqual([{ stage: "dev", autoPromotionEnabled: true }]);
    expect(result.project?.warehouses[0]?.spec.subscriptions[0]?.image).toMatchObject({ constraint: "^2.0.0", allowTagsRegexes: ["^v?2\\."], ignoreTagsRegexes: ["^2\\.0\\.1$", "^2\\.0\\.2$"] });
  });

  it("translates the pre-1.0 subscriptions.warehouse and refuses promotionMechanisms, showing the equivalent steps", () => {
    const result = validateProject({ kargo: [fixture("hostile/kargo-old-stage.yaml")] }, options);
    expect(result.valid).toBe(false);
    const [warning, error] = result.diagnostics;
    expect(warning).toMatchObject({ line: 12, column: 3, severity: "warning" });
    expect(warning?.message).toContain("requestedFreight:\n  - origin:\n      kind: Warehouse\n      name: app");
    expect(error).toMatchObject({ line: 14, column: 3, severity: "error" });
    expect(error?.message).toContain("promotionMechanisms is Kargo's pre-1.0 form and is not read");
    expect(error?.message).toContain("uses: kustomize-set-image\n        config:\n          path: ./out/env/dev");
    expect(error?.message).toContain("name: legacy-dev\n              namespace: argocd");
    expect(result.diagnostics).toHaveLength(2);
  });

  it("refuses a repository that has both forms", () => {
    const result = validateProject({ native: [fixture("good/pipeline/.github/stagecoach.yml")], kargo: fixtureDir("kargo/pipeline/.github/stagecoach") }, options);
    expect(lines(result.diagnostics)).toEqual(["good/pipeline/.github/stagecoach.yml:1:1: both good/pipeline/.github/stagecoach.yml and Kargo manifests (kargo/pipeline/.github/stagecoach/project.yaml) are present: keep one form of the pipeline"]);
  });
});

describe("validateProject: every mistake at its file:line:col", () => {
  const cases: [string, string[]][] = [
    ["hostile/alias-bomb.yml", ["hostile/alias-bomb.yml:2:1: Excessive alias count indicates a resource exhaustion attack: this document expands too many aliases (at most 100); write the values out instead of nesting anchors"]],
    [
      "hostile/duplicate-keys.yml",
      [
        // The last value is kept (Kargo's YAML reader does the same), so "other" is what is checked.
        'hostile/duplicate-keys.yml:8:5: warning: key "from" is set again here (it was set on line 7): the value on line 8 is used and the one on line 7 ignored, as Kargo\'s YAML reader does; remove one of them',
        'hostile/duplicate-keys.yml:8:5: from: "other" is neither a warehouse nor a stage; known warehouses and stages: app, dev',
      ],
    ],
    ["hostile/cycle.yml", ["hostile/cycle.yml:14:5: stages form a cycle: prod → uat → prod (each takes freight from the next); stages must form a DAG, so break one link"]],
    [
      "hostile/bad-schema.yml",
      [
        'hostile/bad-schema.yml:4:45: warehouses[0].subscriptions[0].image.imageSelectionStrategy: must be one of "SemVer", "Lexical", "Digest", "NewestBuild"',
        "hostile/bad-schema.yml:4:77: warehouses[0].subscriptions[0].image.discoveryLimit: Too big: expected number to be <=100",
        "hostile/bad-schema.yml:6:5: warehouses[1].subscriptions: a warehouse needs at least one subscription (image, git or chart)",
        'hostile/bad-schema.yml:10:15: stages[0].github.mergeMethod: must be one of "merge", "squash", "rebase"',
        "hostile/bad-schema.yml:13:5: warning: stages[1].colour: unsupported field, ignored (remove it, or check its spelling)",
      ],
    ],
    [
      "hostile/bad-references.yml",
      [
        'hostile/bad-references.yml:3:5: promotion policy names stage "prd", which is not defined (did you mean "prod"?); known stages: dev, prod, qa',
        'hostile/bad-references.yml:11:5: from: "ap" is neither a warehouse nor a stage (did you mean "app"?); known warehouses and stages: app, dev, prod, qa',
        "hostile/bad-references.yml:13:15: github.title is not a valid Handlebars template: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'",
        'hostile/bad-references.yml:15:5: from: no warehouse\'s freight reaches "dev" (its from: is broken, or the stages loop back on each other): fix "dev" first',
        'hostile/bad-references.yml:20:29: stage "qa" takes freight from stage "uat", which is not defined (did you mean "qa"?); known stages: dev, prod, qa',
      ],
    ],
    [
      "hostile/bad-steps.yml",
      [
        'hostile/bad-steps.yml:20:9: unknown step "git-clon" (did you mean "git-clone"?); see the built-in steps in docs/configuration.md',
        "hostile/bad-steps.yml:23:9: git-push config: set only one of targetBranch, generateTargetBranch or tag",
        'hostile/bad-steps.yml:24:9: task "bump" requires var "imageRepo": add { name: imageRepo, value: ... } to this step\'s vars',
        'hostile/bad-steps.yml:25:17: task "bumpp" is not defined (did you mean "bump"?); known tasks: bump',
        'hostile/bad-steps.yml:27:55: outputs of "commit-later" are read before that step runs (it is step 6); move this step after it',
        'hostile/bad-steps.yml:30:40: config.message: "constructor" may not be used in an expression',
        "hostile/bad-steps.yml:32:58: config.url: cannot parse expression: the expression ends too early: a value is missing after \"+\"",
        "hostile/bad-steps.yml:32:63: http config.method: use an HTTP method in capitals, e.g. GET",
        'hostile/bad-steps.yml:33:9: Stagecoach has no runner for github-push yet (did you mean "git-push"?); see the built-in steps in docs/configuration.md',
        "hostile/bad-steps.yml:36:100: git-clone config.checkout.0.create: Invalid input: expected boolean, received string (or a ${{ }} expression)",
      ],
    ],
  ];
  it.each(cases)("%s", (path, expected) => {
    const result = native(path);
    expect(result.valid).toBe(false);
    expect(result.project).toBeUndefined();
    expect(lines(result.diagnostics)).toEqual(expected);
  });

  it("keeps the last value of a key set twice, with a warning naming both lines, and stays valid", () => {
    const text = "warehouses:\n  - name: app\n    subscriptions:\n      - image: { repoURL: ghcr.io/acme/app }\nstages:\n  - name: dev\n    from: nowhere\n    from: app\n";
    const result = validateProject({ native: [{ path: "d.yml", text }] }, options);
    expect(result.valid).toBe(true);
    expect(lines(result.diagnostics)).toEqual([
      'd.yml:8:5: warning: key "from" is set again here (it was set on line 7): the value on line 8 is used and the one on line 7 ignored, as Kargo\'s YAML reader does; remove one of them',
    ]);
    expect(result.project?.stages[0]?.spec.requestedFreight[0]?.origin.name).toBe("app");
  });

  it("reports a broken YAML file at the line that breaks it", () => {
    const result = native("hostile/syntax-error.yml");
    expect(result.valid).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ file: "hostile/syntax-error.yml", line: 4, column: 1 });
    expect(result.diagnostics[0]?.message).toMatch(/^invalid YAML: Flow (map|sequence) in block collection/);
  });

  it("refuses a file over 1 MB before parsing it", () => {
    const text = `stages: []\n#${"x".repeat(1024 * 1024)}\n`;
    expect(lines(validateProject({ native: [{ path: "big.yml", text }] }, options).diagnostics)).toEqual([
      `big.yml:1:1: file is ${text.length} bytes; config files may be at most 1048576 bytes (1 MB): split it into several files`,
    ]);
  });

  it("points at an expression inside quoted and block strings, and at the prototype names anywhere", () => {
    const text = [
      "warehouses: [{ name: app, subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }] }]",
      "stages:",
      "  - name: dev",
      "    from: app",
      "    steps:",
      "      - uses: file-write",
      "        as: write",
      "        config:",
      "          path: \"out/${{ vars['__proto__'] }}\"",
      "          contents: |",
      "            first line",
      "            second ${{ ctx.stage.prototype }}",
      "      - uses: fail",
      "        if: ${{ outputs.wrte.ok }}",
    ].join("\n");
    expect(lines(validateProject({ native: [{ path: "e.yml", text }] }, options).diagnostics)).toEqual([
      'e.yml:9:32: config.path: "__proto__" may not be used in an expression',
      'e.yml:12:34: config.contents: "prototype" may not be used in an expression',
      'e.yml:14:25: outputs of "wrte" are read, but no step has as: wrte (did you mean "write"?)',
    ]);
  });

  it("asks for the repository URL when a short form has nowhere to push", () => {
    const text = "warehouses: [{ name: app, subscriptions: [{ image: { repoURL: r } }] }]\nstages:\n  - { name: dev, from: app, kustomize: { path: env/dev, image: r } }\n";
    expect(lines(validateProject({ native: [{ path: "n.yml", text }] }, options).diagnostics)).toEqual([
      "n.yml:3:29: kustomize: the short form needs the GitOps repository's URL: add repoURL: https://github.com/<owner>/<repo> at the top of the file",
    ]);
  });
});
