import { describe, expect, it } from "vitest";
import { evaluateTemplate, ExpressionError, redactSecrets, type ExpressionContext } from "../../../src/promotion/expressions/index.js";

const context: ExpressionContext = {
  ctx: { project: "shop", stage: "prod", targetFreight: { name: "abc", alias: "wiggly-tuatara", origin: { name: "app" } } },
  vars: { tag: "1.2.3", obj: { b: [1, 2], a: { c: "<x>" } } },
  outputs: { "read-version": { currentVersion: "1.4.0" } },
  freight: [
    {
      name: "abc",
      origin: { kind: "Warehouse", name: "app" },
      images: [{ repoURL: "ghcr.io/acme/app", tag: "1.5.0", digest: "sha256:aa" }],
      commits: [{ repoURL: "https://github.com/Acme/Config.git", id: "c0ffee", branch: "main", message: "Bump" }],
      charts: [
        { repoURL: "oci://ghcr.io/acme/charts/app", version: "0.4.0" },
        { repoURL: "https://charts.acme.dev", name: "web", version: "2.0.0" },
      ],
    },
  ],
  freightMetadata: { abc: { ticket: "OPS-1", config: { settings: { timeoutSeconds: 60 } } } },
  stageMetadata: { prod: { "aws-region": "eu-west-1" } },
  freightStatus: { abc: { approvedFor: { prod: { approvedAt: "2024-01-01T00:00:00Z" } }, metadata: { ticket: "OPS-1" } } },
  secrets: { slack: { token: "xoxb-123-secret" } },
  sharedSecrets: { registry: { password: "hunter22" } },
  configMaps: { settings: { repoURL: "https://github.com/acme/gitops" } },
  sharedConfigMaps: { defaults: { region: "eu" } },
};

const t = (text: string, ctx: ExpressionContext = context) => evaluateTemplate(text, ctx);

function failure(text: string, ctx: ExpressionContext = context): ExpressionError {
  try {
    t(text, ctx);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe("Kargo's quoting functions, as its reference documents them", () => {
  it.each([
    ["${{ 40 + 2 }}", 42],
    ["${{ quote(40 + 2) }}", "42"],
    ['${{ quote("string") }}', "string"],
    ["${{ unsafeQuote(40 + 2) }}", "42"],
    ['${{ unsafeQuote("string") }}', '"string"'],
    ["${{ quote(true) }}", "true"],
    ["${{ quote(nil) }}", "null"],
    ['${{ quote({"a": vars.tag}) }}', '{"a":"1.2.3"}'],
    ['x: ${{ quote("a\\nb") }}', 'x: "a\\nb"'],
    ["${{ asYAML(vars.obj) }}", "a:\n    c: <x>\nb:\n    - 1\n    - 2\n"],
    ["${{ asJSON(vars.obj) }}", '{\n  "a": {\n    "c": "\\u003cx\\u003e"\n  },\n  "b": [\n    1,\n    2\n  ]\n}\n'],
    ['${% {"labels": {"app": "nginx"}} %}', { labels: { app: "nginx" } }],
  ])("%s", (text, expected) => {
    expect(t(text)).toEqual(expected);
  });
});

describe("Kargo's freight functions", () => {
  it("finds the artifacts of the freight being promoted, by their Go field names", () => {
    expect(t('${{ imageFrom("ghcr.io/acme/app").Tag }}')).toBe("1.5.0");
    expect(t('${{ imageFrom("ghcr.io/acme/app", warehouse("app")).Digest }}')).toBe("sha256:aa");
    expect(t('${{ commitFrom("https://github.com/acme/config").ID }}')).toBe("c0ffee");
    expect(t('${{ commitFrom("https://github.com/acme/config.git").Message }}')).toBe("Bump");
    expect(t('${{ chartFrom("oci://ghcr.io/acme/charts/app").Version }}')).toBe("0.4.0");
    expect(t('${{ chartFrom("https://charts.acme.dev", "web", warehouse("app")).Version }}')).toBe("2.0.0");
    expect(t('${{ chartFrom("oci://ghcr.io/acme/charts/app", warehouse("app")).Version }}')).toBe("0.4.0");
  });

  it("writes Kargo's structs with their JSON names, leaving out empty fields", () => {
    expect(t('${{ imageFrom("ghcr.io/acme/app") }}')).toEqual({ repoURL: "ghcr.io/acme/app", tag: "1.5.0", digest: "sha256:aa" });
    expect(t('${{ warehouse("app") }}')).toEqual({ kind: "Warehouse", name: "app" });
    expect(t('${{ warehouse("app").Name }}')).toBe("app");
  });

  it("gives nil for an artifact no freight carries, and refuses a misspelt field as Kargo does", () => {
    expect(t('${{ imageFrom("ghcr.io/acme/other") ?? "none" }}')).toBe("none");
    expect(t('${{ imageFrom("ghcr.io/acme/other")?.Tag ?? "latest" }}')).toBe("latest");
    expect(failure('${{ imageFrom("ghcr.io/acme/app").tag }}').message).toMatch(/v1alpha1.Image has no field "tag" \(did you mean "Tag"\?\); its fields: RepoURL, Tag, Digest, Annotations/);
    expect(failure('${{ imageFrom("ghcr.io/acme/app", "app") }}').message).toMatch(/the origin must be warehouse\("name"\), got string "app"/);
    expect(failure('${{ warehouse("") }}').message).toMatch(/the warehouse name must not be empty/);
  });

  it("reads freight and stage metadata as maps, the older two-argument form too", () => {
    expect(t("${{ freightMetadata(ctx.targetFreight.name).ticket }}")).toBe("OPS-1");
    expect(t("${{ freightMetadata(ctx.targetFreight.name, 'ticket') }}")).toBe("OPS-1");
    expect(t("${{ freightMetadata(ctx.targetFreight.name)?.config?.settings?.timeoutSeconds ?? 300 }}")).toBe(60);
    expect(t("${{ freightMetadata('other')?.config?.settings?.timeoutSeconds ?? 300 }}")).toBe(300);
    expect(t("${{ stageMetadata(ctx.stage)['aws-region'] }}")).toBe("eu-west-1");
    expect(t("${{ stageMetadata(ctx.stage)['tier'] ?? 'default-tier' }}")).toBe("default-tier");
    expect(t("${{ stageMetadata('dev') }}")).toEqual({});
  });

  it("reads a freight's status when the App provides it", () => {
    expect(t("${{ freightStatus(ctx.targetFreight.name).approvedFor?.prod?.approvedAt != nil }}")).toBe(true);
    expect(t("${{ freightStatus('nope') }}")).toBeNull();
    expect(failure("${{ freightStatus('abc') }}", { ...context, freightStatus: undefined }).message).toMatch(/freight statuses are not available/);
  });
});

describe("secrets and ConfigMaps from the operator's values", () => {
  it("reads them by name; an unknown name is an empty map, as in Kargo", () => {
    expect(t("Bearer ${{ secret('slack').token }}")).toBe("Bearer xoxb-123-secret");
    expect(t("${{ sharedSecret('registry').password }}")).toBe("hunter22");
    expect(t("${{ configMap('settings').repoURL }}")).toBe("https://github.com/acme/gitops");
    expect(t("${{ sharedConfigMap('defaults').region }}")).toBe("eu");
    expect(t("${{ secret('nope') }}")).toEqual({});
    expect(t("${{ secret('nope').token ?? 'unset' }}")).toBe("unset");
  });

  it("says where the values come from when the App has none", () => {
    expect(failure("${{ secret('slack').token }}", { vars: {} }).message).toMatch(/no secret values are configured for this App; the operator provides them in the operator values file/);
  });

  it("hands every secret value it read to the caller, and keeps them out of error messages", () => {
    const revealedSecrets = new Set<string>();
    expect(t("${{ secret('slack').token }} ${{ configMap('settings').repoURL }}", { ...context, revealedSecrets })).toBe("xoxb-123-secret https://github.com/acme/gitops");
    expect([...revealedSecrets]).toEqual(["xoxb-123-secret"]);
    const e = failure("${{ int(secret('slack').token) }}");
    expect(e.message).toMatch(/"\*\*\*" is not a whole number/);
    expect(e.message).not.toContain("xoxb");
    expect(redactSecrets("token=xoxb-123-secret; again xoxb-123-secret", revealedSecrets)).toBe("token=***; again ***");
  });
});

describe("semantic versions", () => {
  it.each([
    ["${{ semverParse('v1.4.2-rc.1+build.5').Major() }}", 1],
    ["${{ semverParse('v1.4.2-rc.1+build.5').Prerelease() }}", "rc.1"],
    ["${{ semverParse('v1.4.2-rc.1+build.5').Metadata() }}", "build.5"],
    ["${{ semverParse('v1.4.2').Original() }}", "v1.4.2"],
    ["${{ semverParse('1.4').String() }}", "1.4.0"],
    ["${{ semverParse(outputs['read-version'].currentVersion).IncMinor().String() }}", "1.5.0"],
    ["${{ semverParse('1.4.2').IncMajor().String() }}", "2.0.0"],
    ["${{ semverParse('1.4.2').IncPatch().String() }}", "1.4.3"],
    ["${{ semverParse('1.4.2-rc.1').IncPatch().String() }}", "1.4.2"],
    ["${{ semverParse('1.4.2-rc.1').LessThan(semverParse('1.4.2')) }}", true],
    ["${{ semverParse('1.4.10').GreaterThan(semverParse('1.4.9')) }}", true],
    ["${{ semverParse('1.0.0-alpha.2').Compare(semverParse('1.0.0-alpha.10')) }}", -1],
    ["${{ semverParse('1.4.2') }}", "1.4.2"],
    ["${{ semverDiff('1.2.3', '2.0.0') }}", "Major"],
    ["${{ semverDiff('1.2.3', '1.3.0') }}", "Minor"],
    ["${{ semverDiff('1.2.3', '1.2.4') }}", "Patch"],
    ["${{ semverDiff('1.2.3+a', '1.2.3+b') }}", "Metadata"],
    ["${{ semverDiff('1.2.3-rc.1', '1.2.3') }}", "None"],
    ["${{ semverDiff('v1.2.3', '1.2.3') }}", "None"],
    ["${{ semverDiff('latest', '1.2.3') }}", "Incomparable"],
    ["${{ semverDiff(imageFrom('ghcr.io/acme/app').Tag, outputs['read-version'].currentVersion) != 'Major' }}", true],
  ])("%s", (text, expected) => {
    expect(t(text)).toEqual(expected);
  });

  it("refuses text that is not a version", () => {
    expect(failure("${{ semverParse('banana') }}").message).toMatch(/semverParse\(\): "banana" is not a semantic version/);
  });
});

describe("the step status functions", () => {
  const withStatus: ExpressionContext = {
    ...context,
    stepStatus: { success: () => true, failure: () => false, status: (alias) => (alias === "open-pr" ? "Succeeded" : "Errored") },
  };

  it("answers from the promotion's steps", () => {
    expect(t("${{ status('open-pr') == 'Succeeded' }}", withStatus)).toBe(true);
    expect(t("${{ status('push') }}", withStatus)).toBe("Errored");
    expect(t("${{ success() && !failure() && always() }}", withStatus)).toBe(true);
  });

  it("needs a step to answer status()", () => {
    expect(failure("${{ status('x') }}").message).toMatch(/status\(\) is only available in a step's if condition and config/);
    expect(failure("${{ status('') }}", withStatus).message).toMatch(/the step alias must not be empty/);
  });
});
