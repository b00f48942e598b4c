import { describe, expect, it } from "vitest";
import { ExpressionError, evaluateTemplate, evaluateValue, type ExpressionContext } from "../../../src/promotion/expressions/index.js";

const context: ExpressionContext = {
  ctx: { project: "shop", stage: "prod", promotion: "prod.abc", targetFreight: { name: "abc", alias: "wiggly-tuatara", origin: { name: "app" } } },
  vars: { replicas: 3, tag: "1.2.3", list: ["a", "b"], nothing: null, obj: { k: "v" } },
  outputs: { push: { commit: "deadbeef", branch: "main" } },
  task: { outputs: { inner: { value: 7 } } },
  freight: [
    {
      name: "abc",
      origin: { kind: "Warehouse", name: "app" },
      images: [{ repoURL: "ghcr.io/acme/shop", tag: "1.2.3", digest: "sha256:aa" }],
      commits: [{ repoURL: "https://github.com/acme/config.git", id: "c0ffee", branch: "main" }],
      charts: [{ repoURL: "oci://ghcr.io/acme/charts", name: "shop", version: "0.4.0" }],
    },
    {
      name: "def",
      origin: { kind: "Warehouse", name: "other" },
      images: [{ repoURL: "ghcr.io/acme/both", tag: "9" }],
    },
    {
      name: "abc",
      origin: { kind: "Warehouse", name: "app" },
      images: [{ repoURL: "ghcr.io/acme/both", tag: "1" }],
    },
  ],
  freightMetadata: { abc: { ticket: "OPS-1" } },
  stageMetadata: { prod: { owner: "team-a" } },
};

function failure(text: string, ctx: ExpressionContext = context): ExpressionError {
  try {
    evaluateTemplate(text, ctx);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe("evaluateTemplate", () => {
  it("keeps the JSON type of a value that is one expression", () => {
    expect(evaluateTemplate("${{ vars.replicas }}", context)).toBe(3);
    expect(evaluateTemplate("${{ vars.list }}", context)).toEqual(["a", "b"]);
    expect(evaluateTemplate("${{ vars.replicas > 2 }}", context)).toBe(true);
    expect(evaluateTemplate("${{ vars.nothing }}", context)).toBeNull();
  });

  it("interpolates into text", () => {
    expect(evaluateTemplate("replicas=${{ vars.replicas }} tag=${{ vars.tag }}", context)).toBe("replicas=3 tag=1.2.3");
    expect(evaluateTemplate("obj=${{ vars.obj }}", context)).toBe('obj={"k":"v"}');
  });

  it("reads ctx, outputs, task.outputs with dots and brackets", () => {
    expect(evaluateTemplate("${{ ctx.targetFreight.alias }}", context)).toBe("wiggly-tuatara");
    expect(evaluateTemplate("${{ outputs['push'].commit }}", context)).toBe("deadbeef");
    expect(evaluateTemplate("${{ task.outputs.inner.value * 2 }}", context)).toBe(14);
    expect(evaluateTemplate("${{ vars.list[1] }}", context)).toBe("b");
  });

  it("supports operators, word operators, ternary and ??", () => {
    expect(evaluateTemplate("${{ vars.replicas == 3 and not false }}", context)).toBe(true);
    expect(evaluateTemplate("${{ 'a' in vars.list || false }}", context)).toBe(true);
    expect(evaluateTemplate("${{ vars.replicas > 5 ? 'big' : 'small' }}", context)).toBe("small");
    expect(evaluateTemplate("${{ vars.missing ?? 'default' }}", context)).toBe("default");
    expect(evaluateTemplate("${{ 'v' + vars.tag }}", context)).toBe("v1.2.3");
  });

  it("quote forces a string, and reads with quotes inside text", () => {
    expect(evaluateTemplate("${{ quote(vars.replicas) }}", context)).toBe("3");
    expect(evaluateTemplate("n: ${{ quote(vars.tag) }}", context)).toBe('n: "1.2.3"');
    expect(evaluateTemplate('${{ unsafeQuote("a\\"b") }} x', context)).toBe('"a"b" x');
  });

  it("renders asJSON and asYAML", () => {
    expect(evaluateTemplate("${{ asJSON(vars.obj) }}", context)).toBe('{"k":"v"}');
    expect(evaluateTemplate("${{ asYAML(vars.obj) }}", context)).toBe("k: v\n");
  });

  it("finds artifacts with imageFrom, commitFrom, chartFrom and warehouse", () => {
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/acme/shop').Tag }}", context)).toBe("1.2.3");
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/acme/shop').Digest }}", context)).toBe("sha256:aa");
    expect(evaluateTemplate("${{ commitFrom('https://github.com/acme/config').ID }}", context)).toBe("c0ffee");
    expect(evaluateTemplate("${{ chartFrom('oci://ghcr.io/acme/charts', 'shop').Version }}", context)).toBe("0.4.0");
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/acme/both', warehouse('other')).Tag }}", context)).toBe("9");
  });

  it("says how to fix an ambiguous or missing artifact", () => {
    expect(failure("${{ imageFrom('ghcr.io/acme/both').Tag }}").message).toMatch(/pass the origin, e.g. imageFrom\("ghcr.io\/acme\/both", warehouse\(/);
    expect(failure("${{ imageFrom('ghcr.io/nope').Tag }}").message).toMatch(/no freight being promoted has this artifact/);
  });

  it("parses and compares semantic versions", () => {
    expect(evaluateTemplate("${{ semverParse('1.4.2-rc.1').Minor }}", context)).toBe(4);
    expect(evaluateTemplate("${{ semverDiff('1.2.3', '1.3.0') }}", context)).toBe("Minor");
    expect(evaluateTemplate("${{ semverDiff('1.2.3', '1.2.3') }}", context)).toBe("None");
    expect(evaluateTemplate("${{ semverDiff('x', '1.2.3') }}", context)).toBe("Incomparable");
    expect(failure("${{ semverParse('banana') }}").message).toMatch(/not a semantic version/);
  });

  it("reads freight and stage metadata", () => {
    expect(evaluateTemplate("${{ freightMetadata('abc', 'ticket') }}", context)).toBe("OPS-1");
    expect(evaluateTemplate("${{ stageMetadata('owner') }}", context)).toBe("team-a");
  });

  it("answers the status functions from the step status view", () => {
    const withStatus: ExpressionContext = {
      ...context,
      stepStatus: { success: () => false, failure: () => true, status: (alias) => (alias === "push" ? "Failed" : "Succeeded") },
    };
    expect(evaluateTemplate("${{ failure() && !success() && always() }}", withStatus)).toBe(true);
    expect(evaluateTemplate("${{ status('push') }}", withStatus)).toBe("Failed");
  });

  it("names a missing field and where the expression starts", () => {
    const text = "tag=${{ vars.tga }}";
    const e = failure(text);
    expect(e.message).toMatch(/vars has no field "tga" \(it has: replicas, tag/);
    expect(e.offset).toBe(text.indexOf(" vars"));
  });

  it.each([
    ["${{ nope.x }}", /unknown name "nope"/],
    ["${{ eval('1') }}", /unknown function eval\(\)/],
    ["${{ vars.tag.toUpperCase() }}", /unknown function vars.tag.toUpperCase/],
    ["${{ vars.list['length'] }}", /is a list; index it with a whole number/],
    ["${{ vars.tag.length }}", /cannot read "length" of vars.tag/],
    ["${{ vars.replicas / 0 }}", /division by zero/],
    ["${{ vars.obj - 1 }}", /"-" needs numbers/],
    ["${{ vars[vars.list[0] + '_proto__'] }}", /has no field/],
    ["${{ vars['__pro' + 'to__'] }}", /"__proto__" may not be used/],
    ["${{ vars['has' + 'OwnProperty'] }}", /has no field "hasOwnProperty"/],
  ])("refuses %s", (text, message) => {
    expect(failure(text).message).toMatch(message);
  });

  it("cannot reach prototypes even through data that carries a __proto__ key", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, never>;
    const e = failure("${{ vars.x['__pro' + 'to__'].polluted }}", { vars: { x: hostile } });
    expect(e.message).toMatch(/may not be used/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("evaluateValue", () => {
  it("evaluates strings inside objects and arrays but never keys", () => {
    const value = evaluateValue({ "${{ vars.tag }}": "${{ vars.replicas }}", list: ["x-${{ vars.tag }}", 5, true] }, context);
    expect(value).toEqual({ "${{ vars.tag }}": 3, list: ["x-1.2.3", 5, true] });
  });

  it("names the field of a failing expression and the character", () => {
    expect(() => evaluateValue({ updates: [{ key: "a", value: "${{ vars.nope }}" }] }, context)).toThrow(
      /^updates\[0\]\.value: vars has no field "nope".* at character 4$/,
    );
  });
});
