import { describe, expect, it } from "vitest";
import { evaluateExpression, ExpressionError } from "../../../../src/promotion/expressions/index.js";
import { parseExpression } from "../../../../src/promotion/expressions/expr-lang/parse-expression.js";

const run = (source: string) => evaluateExpression(source, {});

function parseError(source: string, base = 0): ExpressionError {
  try {
    parseExpression(source, base);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source} not to parse`);
}

describe("parseExpression: expr-lang's precedence", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["2 ** 3 ** 2", 512],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ** 2", -4],
    ["-(2-5)**3-2/(+4-3)+-2", 23],
    ["not true == false", true],
    ["true or false and false", true],
    ["(true or false) and false", false],
    ["1 + 2 == 3 and 4 > 3", true],
    ["1..3 == [1, 2, 3]", true],
    ['"a" + "b" in ["ab"]', true],
    ["1 < 2 < 3", true],
    ["3 > 2 > 1", true],
    ["1 < 3 < 2", false],
    ["2 + (nil ?? 1)", 3],
    ["nil ?? nil ?? 4", 4],
    ["1 > 0 ? 'yes' : 'no'", "yes"],
    ["false ? 1 : true ? 2 : 3", 2],
    ["2 not in [1, 3] and 'ab' not contains 'c'", true],
    ['"A B" | lower() | split(" ")', ["a", "b"]],
    ["[1, 2, 3] | map(# * 2) | sum()", 12],
    ["let x = 42; let y = 2; x * y", 84],
    ["if 1 > 2 { 'a' } else if 2 > 1 { 'b' } else { 'c' }", "b"],
    ["1; 2", 2],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it("refuses mixing ?? with another operator without parentheses, as expr-lang does", () => {
    const e = parseError("a ?? b + c");
    expect(e.message).toMatch(/"\+" and "\?\?" cannot be mixed: wrap one of them in parentheses/);
    expect(e.offset).toBe(7);
  });
});

describe("parseExpression: literals", () => {
  it.each([
    ["42", 42],
    ["0x2A", 42],
    ["0o52", 42],
    ["0b101010", 42],
    ["1_000_000", 1000000],
    [".5", 0.5],
    ["1e3", 1000],
    ["2.5e-1", 0.25],
    ['"Hello\\nWorld"', "Hello\nWorld"],
    ["'it\\'s'", "it's"],
    ['"\\x41\\u0042\\101\\u{1F600}\\U0001F600"', "ABA\u{1F600}\u{1F600}"],
    ['"\\a\\b\\f\\r\\t\\v\\\\"', "\x07\b\f\r\t\v\\"],
    ["`raw \\n ${x}`", "raw \\n ${x}"],
    ["`two``ticks`", "two`ticks"],
    ["`multi\nline`", "multi\nline"],
    ["nil", null],
    ["[1, 'a', true, nil,]", [1, "a", true, null]],
    ['{a: 1, "b c": 2, 3: 4, (1 + 1): 5}', { a: 1, "b c": 2, "3": 4, "2": 5 }],
    ["1 /* a comment */ + // to the end of the line\n 2", 3],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it("keeps ints and floats apart from the literal on", () => {
    expect(run("[type(1), type(1.0), type(1e3), type(.5)]")).toEqual(["int", "float", "float", "float"]);
  });
});

describe("parseExpression: positions", () => {
  it("records each node's offset in the template", () => {
    const node = parseExpression("a.b + c", 10);
    expect(node).toMatchObject({ kind: "binary", operator: "+", offset: 14, left: { kind: "member", offset: 12, object: { kind: "identifier", name: "a", offset: 10 } }, right: { offset: 16 } });
  });

  it.each([
    ["1 +", 3, /the expression ends too early: a value is missing after "\+"/],
    ["1 2", 2, /unexpected "2" \(two expressions side by side; join them with an operator\)/],
    ['"abc', 0, /string not terminated: close it with "/],
    ["`abc", 0, /raw string not terminated/],
    ["'\\q'", 1, /invalid escape "\\q"/],
    ["1 /* open", 2, /unclosed comment/],
    ["a @ b", 2, /unrecognized character "@"/],
    ["12abc", 0, /bad number syntax/],
    ["99999999999999999999", 0, /integer literal 99999999999999999999 is too large/],
    ["{a 1}", 3, /expected ":", found "1"/],
    ["{[1]: 2}", 1, /a map key is a quoted string, a number, a name or an expression in parentheses/],
    ["foo(1,", 6, /ends too early/],
    ["# > 1", 0, /# can only be used inside a predicate/],
    ["filter([1], #foo > 1)", 12, /unknown pointer #foo/],
    ["filter([1])", 10, /filter\(\) takes at least 2 arguments \(value, predicate\)/],
    ["map([1], #, 3)", 12, /map\(\) takes at most 2 arguments/],
    ["a not b", 2, /unexpected "not" after a value/],
    ["x | 1", 4, /expected a function after "\|"/],
    ["a.+", 2, /expected a field name after "\.", found "\+"/],
    ["let 1 = 2; 3", 4, /expected a variable name after "let"/],
    ["filter([1], # > 0; 1)", 17, /a predicate with several parts needs braces/],
    ["b'x'", 0, /bytes literals .* are not supported/],
  ])("%s fails at %i", (source, offset, message) => {
    const e = parseError(source);
    expect(e.message).toMatch(/^cannot parse expression: /);
    expect(e.message).toMatch(message);
    expect(e.offset).toBe(offset);
  });

  it("adds the base offset to every position", () => {
    expect(parseError("1 +", 100).offset).toBe(103);
  });

  it.each([
    ["vars.constructor", 5],
    ["vars['__proto__']", 6],
    ["a?.prototype", 3],
    ["constructor", 0],
    ["{__proto__: 1}", 1],
    ["let prototype = 1; 2", 4],
    ["now().constructor", 6],
  ])("refuses the prototype name in %s at its first letter", (source, offset) => {
    const e = parseError(source);
    expect(e.message).toMatch(/^"(constructor|__proto__|prototype)" may not be used in an expression$/);
    expect(e.offset).toBe(offset);
  });

  it("refuses an empty expression", () => {
    expect(parseError("   ").message).toMatch(/empty expression/);
  });
});
