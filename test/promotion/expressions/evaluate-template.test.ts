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
    // Kargo's unsafeQuote wraps the JSON form in quotes: a string keeps its own quotes.
    expect(evaluateTemplate('${{ unsafeQuote("a\\"b") }}', context)).toBe('"a\\"b"');
    expect(evaluateTemplate('${{ unsafeQuote("a\\"b") }} x', context)).toBe('""a\\"b"" x');
  });

  it("renders asJSON (indented, as Kargo's MarshalIndent) and asYAML", () => {
    expect(evaluateTemplate("${{ asJSON(vars.obj) }}", context)).toBe('{\n  "k": "v"\n}\n');
    expect(evaluateTemplate("${{ asYAML(vars.obj) }}", context)).toBe("k: v\n");
  });

  it("reads a template's text back as JSON types, as Kargo does", () => {
    expect(evaluateTemplate("${{ '42' }}", context)).toBe(42);
    expect(evaluateTemplate("${{ 'true' }}", context)).toBe(true);
    expect(evaluateTemplate("${{ vars.tag }}", context)).toBe("1.2.3");
    expect(evaluateTemplate('${{ "[1, 2]" }}', context)).toEqual([1, 2]);
    expect(evaluateTemplate("${{ 1 }}${{ 2 }}", context)).toBe(12);
    expect(evaluateTemplate("${{ quote('42') }}", context)).toBe("42");
  });

  it("finds artifacts with imageFrom, commitFrom, chartFrom and warehouse", () => {
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/acme/shop').Tag }}", context)).toBe("1.2.3");
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/acme/shop').Digest }}", context)).toBe("sha256:aa");
    expect(evaluateTemplate("${{ commitFrom('https://github.com/acme/config').ID }}", context)).toBe("c0ffee");
    expect(evaluateTemplate("${{ chartFrom('oci://ghcr.io/acme/charts', 'shop').Version }}", context)).toBe("0.4.0");
    // The tag "9" reads back as a number, as in Kargo; quote() keeps it a string.
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/acme/both', warehouse('other')).Tag }}", context)).toBe(9);
    expect(evaluateTemplate("${{ quote(imageFrom('ghcr.io/acme/both', warehouse('other')).Tag) }}", context)).toBe("9");
  });

  it("says how to fix an ambiguous or missing artifact", () => {
    expect(failure("${{ imageFrom('ghcr.io/acme/both').Tag }}").message).toMatch(/pass the origin, e.g. imageFrom\("ghcr.io\/acme\/both", warehouse\(/);
    // A missing artifact is nil (as in Kargo); reading from it says why it is nil.
    expect(evaluateTemplate("${{ imageFrom('ghcr.io/nope') }}", context)).toBeNull();
    expect(failure("${{ imageFrom('ghcr.io/nope').Tag }}").message).toMatch(/no freight being promoted has "ghcr.io\/nope"; check the URL/);
  });

  it("parses and compares semantic versions", () => {
    // Kargo's semverParse returns a version whose parts are methods.
    expect(evaluateTemplate("${{ semverParse('1.4.2-rc.1').Minor() }}", context)).toBe(4);
    expect(failure("${{ semverParse('1.4.2').Minor }}").message).toMatch(/Minor is a method of \*semver.Version: call it as Minor\(\)/);
    expect(evaluateTemplate("${{ semverDiff('1.2.3', '1.3.0') }}", context)).toBe("Minor");
    expect(evaluateTemplate("${{ semverDiff('1.2.3', '1.2.3') }}", context)).toBe("None");
    expect(evaluateTemplate("${{ semverDiff('x', '1.2.3') }}", context)).toBe("Incomparable");
    expect(failure("${{ semverParse('banana') }}").message).toMatch(/not a semantic version/);
  });

  it("reads freight and stage metadata", () => {
    expect(evaluateTemplate("${{ freightMetadata('abc', 'ticket') }}", context)).toBe("OPS-1");
    expect(evaluateTemplate("${{ freightMetadata('abc').ticket }}", context)).toBe("OPS-1");
    expect(evaluateTemplate("${{ stageMetadata('prod').owner }}", context)).toBe("team-a");
  });

  it("answers the status functions from the step status view", () => {
    const withStatus: ExpressionContext = {
      ...context,
      stepStatus: { success: () => false, failure: () => true, status: (alias) => (alias === "push" ? "Failed" : "Succeeded") },
    };
    expect(evaluateTemplate("${{ failure() && !success() && always() }}", withStatus)).toBe(true);
    expect(evaluateTemplate("${{ status('push') }}", withStatus)).toBe("Failed");
  });

  it("reads a missing field as nil, and names it when the nil is used", () => {
    expect(evaluateTemplate("tag=${{ vars.tga }}", context)).toBe("tag=null");
    const text = "tag=${{ vars.tga.x }}";
    const e = failure(text);
    expect(e.message).toMatch(/cannot read "x" of vars.tga, which is nil \(vars has no field "tga" \(did you mean "tag"\?\); it has: replicas, tag/);
    expect(e.offset).toBe(text.indexOf("x }}"));
  });

  it.each([
    ["${{ nope.x }}", /unknown name "nope"/],
    ["${{ eval('1') }}", /unknown function eval\(\)/],
    ["${{ vars.tag.toUpperCase() }}", /string has no method toUpperCase\(\)/],
    ["${{ vars.list['length'] }}", /vars.list is array; index it with an int/],
    ["${{ vars.tag.length }}", /cannot read "length" of vars.tag/],
    ["${{ vars.replicas / 0 }}", /\+Inf cannot be written as JSON \(a division by zero\?\)/],
    ["${{ vars.obj - 1 }}", /"-" is not defined for map and int/],
    ["${{ vars['__pro' + 'to__'] }}", /"__proto__" may not be used/],
    ["${{ 'v' + vars.replicas }}", /"\+" is not defined for string and int: turn the number into text with string/],
  ])("refuses %s", (text, message) => {
    expect(failure(text).message).toMatch(message);
  });

  it.each(["${{ vars[vars.list[0] + '_proto__'] }}", "${{ vars['has' + 'OwnProperty'] }}", "${{ vars.toString }}"])("reads only own fields: %s is nil", (text) => {
    expect(evaluateTemplate(text, context)).toBeNull();
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
    expect(() => evaluateValue({ updates: [{ key: "a", value: "${{ vars.nope.x }}" }] }, context)).toThrow(
      /^updates\[0\]\.value: cannot read "x" of vars.nope, which is nil \(vars has no field "nope".* at character 15$/,
    );
  });
});
