import { describe, expect, it } from "vitest";
import { evaluateExpression, ExpressionError, type ExpressionContext } from "../../../../src/promotion/expressions/index.js";

const context: ExpressionContext = {
  vars: {
    tags: ["v1.0.0", "latest", "v1.1.0"],
    users: [
      { Name: "Jane", Age: 30, Comments: [{ Author: "Jane" }] },
      { Name: "John", Age: 17, Comments: [{ Author: "Ann" }] },
      { Name: "Joe", Age: 30, Comments: [] },
    ],
    nested: { a: { b: null } },
    n: 3,
  },
};

const run = (source: string, ctx: ExpressionContext = context) => evaluateExpression(source, ctx);

function failure(source: string, ctx: ExpressionContext = context): ExpressionError {
  try {
    run(source, ctx);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to fail`);
}

describe("numbers: ints and floats as expr-lang keeps them", () => {
  it.each([
    ["7 / 2", 3.5],
    ["7 % 2", 1],
    ["-7 % 2", -1],
    ["2 ** 8", 256],
    ["[type(7 / 7), type(7 % 2), type(2 ** 2), type(1 + 1.0), type(3 * 2), type(-3), type(-1.5)]", ["float", "int", "float", "float", "int", "int", "float"]],
    ["string(7 / 7)", "1"],
    ["string(1e6)", "1e+06"],
    ["string(123456.0)", "123456"],
    ["string(0.00001)", "1e-05"],
    ["string(1 / 0)", "+Inf"],
    ["vars.n / 2", 1.5],
    ["type(vars.n)", "int"],
    ["1 == 1.0", true],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ["7.0 % 2", /"%" is not defined for float and int: % takes two ints/],
    ["1 % 0", /integer divide by zero/],
    ["1 / 0", /\+Inf cannot be written as JSON/],
    ["9007199254740991 + 1", /integer overflow/],
    ["'a' - 1", /"-" is not defined for string and int/],
    ["-'a'", /"-" needs a number, got string "a"/],
  ])("%s fails", (source, message) => {
    expect(failure(source).message).toMatch(message);
  });
});

describe("nil", () => {
  it.each([
    ["nil == nil", true],
    ["0 == nil", false],
    ["nil in [nil]", true],
    ["vars.missing", null],
    ["vars.missing ?? 'default'", "default"],
    ["vars.nested.a.b ?? 'unset'", "unset"],
    ["vars.nested?.x?.y?.z", null],
    ["vars.missing?.x.y", null],
    ["vars.missing?.Method()", null],
    ["vars.missing?.[0]", null],
    ["nothing ?? 1", 1],
    ["nil matches 'a'", false],
    ["nil contains 'a'", false],
    ["'a' in nil", false],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it("names what is nil when it is read", () => {
    expect(failure("vars.nested.x.y").message).toMatch(/cannot read "y" of vars.nested.x, which is nil \(vars.nested has no field "x" \(did you mean "a"\?\); it has: a\); use \?\. to read through nil/);
    expect(failure("nothing.x").message).toMatch(/unknown name "nothing"; an expression can read vars, outputs/);
    expect(failure("nil.x").message).toMatch(/^cannot read "x" of nil; use \?\. to read through nil/);
  });
});

describe("equality, membership and text operators", () => {
  it.each([
    ["[1, [2, {a: 3}]] == [1, [2, {a: 3}]]", true],
    ["{a: 1} == {a: 1.0}", true],
    ["{a: 1} == {a: 1, b: 2}", false],
    ['"1" == 1', false],
    ["[1, 2] != [2, 1]", true],
    ["'Jane' in map(vars.users, .Name)", true],
    ["'Name' in vars.users[0]", true],
    ["1 in [1.5]", false],
    ["'foobar' contains 'bar'", true],
    ["'foobar' startsWith 'foo'", true],
    ["'foobar' endsWith 'bar'", true],
    ["'foobar' not endsWith 'foo'", true],
    ["'v1.2.3-rc.1' matches 'rc'", true],
    ["'v1.2.3' matches '^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$'", true],
    ["'v1.2.3' not matches '(?i)RC'", true],
    ["'a' < 'b'", true],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ["'ab' in 'abc'", /"in" looks in an array or a map, not in string "abc": to look inside text, use contains/],
    ["1 contains 'a'", /"contains" is not defined for int and string/],
    ["'a' matches '(?=x)'", /"\(\?=x\)" is not a regular expression \(RE2 syntax\)/],
    ["'a' < 1", /"<" cannot compare string and int/],
  ])("%s fails", (source, message) => {
    expect(failure(source).message).toMatch(message);
  });
});

describe("logic wants booleans", () => {
  it("short-circuits and and or", () => {
    expect(run("false and nil.x")).toBe(false);
    expect(run("true or nil.x")).toBe(true);
    expect(run("true && !false")).toBe(true);
  });

  it.each([
    ["1 and true", /"and" needs true or false, got int 1/],
    ["false || 'x'", /"\|\|" needs true or false, got string "x"/],
    ["not 'x'", /"not" needs true or false/],
    ["nil ? 1 : 2", /the condition of \? : needs true or false, got nil/],
  ])("%s fails", (source, message) => {
    expect(failure(source).message).toMatch(message);
  });
});

describe("member access, indexes and slices", () => {
  it.each([
    ["{a: 1}.b", null],
    ["{a: 1}['a']", 1],
    ["vars.users[1].Name", "John"],
    ["vars.users[-1].Name", "Joe"],
    ["[1, 2, 3, 4, 5][1:4]", [2, 3, 4]],
    ["[1, 2, 3, 4, 5][1:-1]", [2, 3, 4]],
    ["[1, 2, 3, 4, 5][:3]", [1, 2, 3]],
    ["[1, 2, 3, 4, 5][3:]", [4, 5]],
    ["[1, 2, 3, 4, 5][:]", [1, 2, 3, 4, 5]],
    ["[1, 2, 3][2:1]", []],
    ["[1, 2, 3][-10:10]", [1, 2, 3]],
    ["'string'[3:9]", "ing"],
    ["'string'[:3]", "str"],
    ["'abc'[1]", 98],
    ["(0..10)[5]", 5],
    ["$env['vars'].n", 3],
    ["'vars' in $env", true],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ["[1, 2, 3][3]", /index out of range: 3 \(\[…\] has length 3\)|index out of range: 3/],
    ["vars.tags[-4]", /index out of range: -4 \(vars.tags has length 3\)/],
    ["vars.tags['x']", /vars.tags is array; index it with an int, not string "x"/],
    ["vars.n.x", /cannot read "x" of vars.n, which is int 3/],
    ["vars.tags.Len()", /array has no method Len\(\)/],
    ["now().Yeer()", /time.Time has no method Yeer\(\) \(did you mean "Year"\?\)/],
    ["now().Year", /Year is a method of time.Time: call it as Year\(\)/],
    ["now().Format()", /Format\(\) takes 1 argument, got 0/],
  ])("%s fails", (source, message) => {
    expect(failure(source).message).toMatch(message);
  });

  it("points at the failing part of the expression", () => {
    const e = failure("vars.n + vars.tags[7]");
    expect(e.offset).toBe("vars.n + vars.tags".length);
  });
});

describe("predicates and closures", () => {
  it.each([
    ["filter(0..9, {# % 2 == 0})", [0, 2, 4, 6, 8]],
    ["filter(vars.users, .Name startsWith 'J' and .Age > 18) | map(.Name)", ["Jane", "Joe"]],
    ["map(1..3, {# * #})", [1, 4, 9]],
    ["map(['a', 'b'], #index)", [0, 1]],
    ["all(1..3, {# > 0})", true],
    ["all([], false)", true],
    ["any([], true)", false],
    ["any(vars.users, .Age < 18)", true],
    ["one(vars.users, .Age < 18)", true],
    ["one(vars.users, .Age == 30)", false],
    ["none(vars.users, .Age > 100)", true],
    ["count(1..30, {# % 3 == 0})", 10],
    ["count([true, true, false])", 2],
    ["sum([1, 2, 3])", 6],
    ["type(sum([1, 2, 3]))", "int"],
    ["sum([1.5, 2])", 3.5],
    ["sum(vars.users, .Age)", 77],
    ["find([1, 2, 3, 4], # > 2)", 3],
    ["find([1, 2], # > 5)", null],
    ["findIndex([1, 2, 3, 4], # > 2)", 2],
    ["findLast([1, 2, 3, 4], # > 2)", 4],
    ["findLastIndex([1, 2, 3, 4], # > 2)", 3],
    ["groupBy(vars.users, .Age) | keys() | sort()", ["17", "30"]],
    ["map(groupBy(vars.users, .Age)['30'], .Name)", ["Jane", "Joe"]],
    ["sortBy(vars.users, .Age) | map(.Name)", ["John", "Jane", "Joe"]],
    ["sortBy(vars.users, .Name, 'desc') | map(.Name)", ["John", "Joe", "Jane"]],
    ["reduce(1..9, #acc + #)", 45],
    ["reduce(1..9, #acc + #, 10)", 55],
    ["reduce(['a', 'b', 'c'], #acc + string(#index), '')", "012"],
    ["filter(vars.users, { let user = #; any(.Comments, .Author == user.Name) }) | map(.Name)", ["Jane"]],
    ["map(1..2, map(1..2, # * 10))", [[10, 20], [10, 20]]],
    ["vars.tags | filter(# startsWith 'v') | len()", 2],
    ["vars.tags | filter(# startsWith 'v') | map(upper(#))", ["V1.0.0", "V1.1.0"]],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it.each([
    ["filter([1, 2], # + 1)", /filter\(\): the predicate of filter must give true or false, got int 2/],
    ["map(vars.n, #)", /map\(\) needs an array as its first argument, got int 3/],
    ["reduce([], #acc)", /reduce of an empty array needs an initial value/],
    ["sum(['a'])", /sum adds numbers, got string "a"/],
    ["sortBy([1, 'a'], #)", /"<" cannot compare/],
  ])("%s fails", (source, message) => {
    expect(failure(source).message).toMatch(message);
  });
});

describe("let, ranges and maps", () => {
  it.each([
    ["let vars = 1; vars", 1],
    ["let name = 'A B' | lower() | split(' '); 'Hello, ' + name[0] + '!'", "Hello, a!"],
    ["1..3", [1, 2, 3]],
    ["4..0", []],
    ["{(string(1 + 1)): true}", { "2": true }],
  ])("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it("refuses a map key that would reach prototypes, even when computed", () => {
    expect(failure("{('__pro' + 'to__'): 1}").message).toMatch(/"__proto__" may not be used/);
  });

  it("calls only known functions and says which one was meant", () => {
    expect(failure("uper('a')").message).toMatch(/unknown function uper\(\) \(did you mean "upper"\?\); see docs\/expressions.md/);
    expect(failure("upper('a', 'b')").message).toMatch(/upper\(\) takes 1 argument, got 2/);
    expect(failure("upper(1)").message).toMatch(/upper\(\): argument 1 must be a string, got int 1/);
  });
});
