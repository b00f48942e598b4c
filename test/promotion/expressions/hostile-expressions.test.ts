import { describe, expect, it } from "vitest";
import { evaluateExpression, evaluateTemplate, ExpressionError, type ExpressionContext } from "../../../src/promotion/expressions/index.js";

const context: ExpressionContext = { vars: { list: [1, 2, 3], text: "abc" } };

function failure(run: () => unknown): ExpressionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error("expected the expression to fail");
}

const expression = (source: string) => failure(() => evaluateExpression(source, context));

// Each must end with a clear error, quickly: the generous timeout only says "it finishes".
describe("hostile expressions end with the budget they hit", { timeout: 10_000 }, () => {
  it.each([
    ['repeat("a", 1e9)', /a string of 1000000000 characters is longer than the limit of 1000000 \(MAX_STRING_LENGTH\)/],
    ["1..100000000 | map(# * 2)", /a list or map of 100000000 elements is larger than the limit of 100000 \(MAX_COLLECTION_SIZE\)/],
    ["map(1..100000, map(1..100000, #))", /MAX_EVALUATION_STEPS|MAX_ALLOCATION/],
    ['reduce(1..100000, #acc + "xxxxxxxxxx", "")', /MAX_ALLOCATION|MAX_EVALUATION_STEPS/],
    ['reduce(1..64, #acc + #acc, "ab")', /MAX_STRING_LENGTH|MAX_ALLOCATION/],
    ["uniq(1..20000)", /more than 250000 steps \(MAX_EVALUATION_STEPS\)/],
    ["sortBy(1..100000, -#)", /MAX_EVALUATION_STEPS/],
    ["count(1..100000, true) + count(1..100000, true) + count(1..100000, true)", /MAX_EVALUATION_STEPS/],
    ['split(repeat("a,", 400000), ",")', /MAX_COLLECTION_SIZE/],
    ['replace(repeat("a", 900000), "a", "aaaa")', /MAX_STRING_LENGTH/],
    ['toJSON(map(1..100000, repeat("x", 100)))', /MAX_ALLOCATION|MAX_STRING_LENGTH/],
    ['"a" matches repeat("a", 2000)', /the regular expression is 2000 characters long; the limit is 1000/],
    ['fromJSON(repeat("[", 100000) + repeat("]", 100000))', /nest deeper than 200 levels|not JSON/],
  ])("%s", (source, message) => {
    expect(expression(source).message).toMatch(message);
  });

  it("runs user regexes in linear time (RE2), so a catastrophic pattern still answers", () => {
    expect(evaluateExpression(`"${"a".repeat(5000)}!" matches "^(a+)+$"`, context)).toBe(false);
    expect(evaluateExpression(`"${"a".repeat(5000)}" matches "(a|aa)*$"`, context)).toBe(true);
  });

  it.each([
    ["(".repeat(3000) + "1" + ")".repeat(3000), /nests deeper than 64 levels/],
    ["[".repeat(3000) + "]".repeat(3000), /nests deeper than 64 levels/],
    ["-".repeat(3000) + "1", /nests deeper than 64 levels/],
    ["!".repeat(3000) + "true", /nests deeper than 64 levels/],
    ["2" + " ** 2".repeat(1000), /nests deeper than 64 levels/],
    ["1" + " + 1".repeat(1500), /has more than 2000 parts/],
    ["x" + ".a".repeat(2500), /has more than 2000 parts/],
    ["1".repeat(10_001), /the expression is 10001 characters long; the limit is 10000/],
  ])("refuses a deep or huge expression before running it (%#)", (source, message) => {
    const e = expression(source);
    expect(e.message).toMatch(message);
  });

  it("stops an evaluation that builds a huge text through a template", () => {
    const e = failure(() => evaluateTemplate('${{ repeat("x", 900000) }}${{ repeat("y", 900000) }}', context));
    expect(e.message).toMatch(/longer than 1000000 characters/);
  });
});

describe("expressions cannot reach JavaScript", () => {
  it.each([
    ["constructor", /"constructor" may not be used/],
    ["$env.constructor", /"constructor" may not be used/],
    ["$env['__proto__']", /"__proto__" may not be used/],
    ["vars['constr' + 'uctor']", /"constructor" may not be used/],
    ["get(vars, '__proto__')", /"__proto__" may not be used/],
    ["{('__proto__'): 1}", /"__proto__" may not be used/],
    ["fromPairs([['__proto__', {polluted: true}]])", /"__proto__" may not be used/],
    ["groupBy(['__proto__'], #)", /"__proto__" may not be used/],
    ["now().constructor", /"constructor" may not be used/],
    ["Function('return process')", /unknown function Function\(\)/],
    ["eval('1')", /unknown function eval\(\)/],
    ["vars.list.map(1)", /array has no method map\(\)/],
    ["vars.text.constructor", /"constructor" may not be used/],
  ])("%s is refused", (source, message) => {
    expect(expression(source).message).toMatch(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads only own fields, so inherited names are nil", () => {
    expect(evaluateExpression("[vars.toString, vars.hasOwnProperty, $env.valueOf, {}.__defineGetter__]", context)).toEqual([null, null, null, null]);
    expect(evaluateExpression("keys(fromJSON('{\"__proto__\": {\"x\": 1}}'))", context)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
