import { describe, expect, it } from "vitest";
import { evaluateExpression, ExpressionError } from "../../../../src/promotion/expressions/index.js";
import { walkNodes } from "../../../../src/promotion/expressions/expr-lang/ast.js";
import { BUILTIN_FUNCTIONS } from "../../../../src/promotion/expressions/expr-lang/builtin-functions.js";
import { PREDICATE_BUILTINS } from "../../../../src/promotion/expressions/expr-lang/grammar.js";
import { parseExpression } from "../../../../src/promotion/expressions/expr-lang/parse-expression.js";

const run = (source: string) => evaluateExpression(source, { clock: { now: () => new Date("2024-08-14T10:00:00Z") } });

// Each built-in with the examples of expr-lang's language definition, plus Go's edge cases.
const CASES: [string, unknown][] = [
  // strings
  ['trim("  Hello  ")', "Hello"],
  ['trim("__Hello__", "_")', "Hello"],
  ['trimPrefix("HelloWorld", "Hello")', "World"],
  ['trimPrefix(" x")', "x"],
  ['trimSuffix("HelloWorld", "World")', "Hello"],
  ['upper("hello")', "HELLO"],
  ['lower("HELLO")', "hello"],
  ['split("apple,orange,grape", ",")', ["apple", "orange", "grape"]],
  ['split("apple,orange,grape", ",", 2)', ["apple", "orange,grape"]],
  ['split("a,b", ",", 0)', []],
  ['split("abc", "")', ["a", "b", "c"]],
  ['split("", ",")', [""]],
  ['splitAfter("apple,orange,grape", ",")', ["apple,", "orange,", "grape"]],
  ['splitAfter("apple,orange,grape", ",", 2)', ["apple,", "orange,grape"]],
  ['replace("Hello World", "World", "Universe")', "Hello Universe"],
  ['replace("aaa", "a", "b", 2)', "bba"],
  ['replace("ab", "", "-")', "-a-b-"],
  ['repeat("Hi", 3)', "HiHiHi"],
  ['indexOf("apple pie", "pie")', 6],
  ['indexOf("北京pie", "pie")', 6],
  ['indexOf("apple", "x")', -1],
  ['lastIndexOf("apple pie apple", "apple")', 10],
  ['hasPrefix("HelloWorld", "Hello")', true],
  ['hasSuffix("HelloWorld", "World")', true],
  ['join(["apple", "orange", "grape"], ",")', "apple,orange,grape"],
  ['join(["apple", "orange", "grape"])', "appleorangegrape"],
  // numbers
  ["max(5, 7)", 7],
  ["max([1, 2, 3])", 3],
  ["min(5, 7)", 5],
  ["min([3, [1, 2]])", 1],
  ["max([])", null],
  ["abs(-5)", 5],
  ["abs(-1.5)", 1.5],
  ["ceil(1.5)", 2],
  ["floor(1.5)", 1],
  ["round(1.5)", 2],
  ["round(-2.5)", -3],
  ["[type(ceil(1)), type(floor(1.5)), type(round(2.4))]", ["float", "float", "float"]],
  ["mean([1, 2, 3])", 2],
  ["type(mean([1, 2, 3]))", "float"],
  ["mean([])", 0],
  ["median([1, 2, 3])", 2],
  ["median([4, 1, 3, 2])", 2.5],
  // conversions
  ['int("123")', 123],
  ["int(3.9)", 3],
  ["int(-3.9)", -3],
  ['float("123.45")', 123.45],
  ["type(float(2))", "float"],
  ["string(123)", "123"],
  ["string([1, 'a', nil])", "[1 a <nil>]"],
  ["string({b: 1, a: true})", "map[a:true b:1]"],
  ['toJSON({"name": "John", "age": 30})', '{\n  "age": 30,\n  "name": "John"\n}'],
  ['toJSON("<a & b>")', '"\\u003ca \\u0026 b\\u003e"'],
  ['fromJSON(\'{"name": "John", "age": 30}\')', { name: "John", age: 30 }],
  ['toBase64("Hello World")', "SGVsbG8gV29ybGQ="],
  ['fromBase64("SGVsbG8gV29ybGQ=")', "Hello World"],
  ['toPairs({"name": "John", "age": 30})', [["name", "John"], ["age", 30]]],
  ['fromPairs([["name", "John"], ["age", 30]])', { name: "John", age: 30 }],
  ["[type(nil), type(true), type(1), type(1.5), type('s'), type([]), type({})]", ["nil", "bool", "int", "float", "string", "array", "map"]],
  // miscellaneous
  ["len([1, 2, 3])", 3],
  ['len({"name": "John", "age": 30})', 2],
  ['len("Hello")', 5],
  ["len('北京')", 2],
  ["len('👍🏻')", 2],
  ["get([1, 2, 3], 1)", 2],
  ["get([1, 2, 3], -1)", 3],
  ["get([1, 2, 3], 5)", null],
  ['get({"name": "John", "age": 30}, "name")', "John"],
  ['get({"name": "John"}, "age")', null],
  ["get(nil, 1)", null],
  // arrays and maps
  ['keys({"name": "John", "age": 30})', ["name", "age"]],
  ['values({"name": "John", "age": 30})', ["John", 30]],
  ["first([1, 2, 3])", 1],
  ["first([])", null],
  ["last([1, 2, 3])", 3],
  ["last([])", null],
  ["take([1, 2, 3, 4], 2)", [1, 2]],
  ["take([1, 2], 5)", [1, 2]],
  ["reverse([3, 1, 4])", [4, 1, 3]],
  ["reverse(reverse([3, 1, 4]))", [3, 1, 4]],
  ["uniq([1, 2, 3, 2, 1])", [1, 2, 3]],
  ["uniq([[1], [1], {a: 1}, {a: 1}])", [[1], { a: 1 }]],
  ["concat([1, 2], [3, 4])", [1, 2, 3, 4]],
  ["concat([1], [2], [3])", [1, 2, 3]],
  ["flatten([1, 2, [3, 4]])", [1, 2, 3, 4]],
  ["flatten([[1, [2, [3]]]])", [1, 2, 3]],
  ["sort([3, 1, 4])", [1, 3, 4]],
  ['sort([3, 1, 4], "desc")', [4, 3, 1]],
  ['sort(["b", "a"])', ["a", "b"]],
  // predicates (the rest are in evaluate-node.test.ts)
  ["all([1, 2], # > 0)", true],
  ["any([1, 2], # > 1)", true],
  ["one([1, 2], # > 1)", true],
  ["none([1, 2], # > 2)", true],
  ["filter([1, 2, 3], # > 1)", [2, 3]],
  ["map([1, 2], # + 1)", [2, 3]],
  ["count([1, 2, 3], # > 1)", 2],
  ["sum([1, 2, 3], # * 2)", 12],
  ["find([1, 2, 3], # > 1)", 2],
  ["findIndex([1, 2, 3], # > 1)", 1],
  ["findLast([1, 2, 3], # > 1)", 3],
  ["findLastIndex([1, 2, 3], # > 1)", 2],
  ["groupBy([1, 2, 3], # % 2)", { "0": [2], "1": [1, 3] }],
  ["sortBy([{n: 2}, {n: 1}], .n)", [{ n: 1 }, { n: 2 }]],
  ["reduce([1, 2, 3], #acc * #)", 6],
  // bitwise
  ["bitand(0b1010, 0b1100)", 0b1000],
  ["bitor(0b1010, 0b1100)", 0b1110],
  ["bitxor(0b1010, 0b1100)", 0b110],
  ["bitnand(0b1010, 0b1100)", 0b10],
  ["bitnot(0b1010)", -0b1011],
  ["bitshl(0b101101, 2)", 0b10110100],
  ["bitshr(0b101101, 2)", 0b1011],
  ["bitushr(-5, 62)", 3],
  // dates (more in dates.test.ts)
  ["now().Year()", 2024],
  ['duration("1h").Seconds()', 3600],
  ['date("2023-08-14").Year()', 2023],
  ['timezone("Europe/Zurich").String()', "Europe/Zurich"],
];

describe("expr-lang's built-in functions", () => {
  it.each(CASES)("%s", (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it("covers every built-in", () => {
    const called = new Set<string>();
    for (const [source] of CASES) walkNodes(parseExpression(source, 0), (node) => node.kind === "call" && called.add(node.name));
    const all = [...Object.keys(BUILTIN_FUNCTIONS), ...Object.keys(PREDICATE_BUILTINS)];
    expect(all.filter((name) => !called.has(name))).toEqual([]);
  });

  it.each([
    ['int("1.5")', /int\(\): "1.5" is not a whole number/],
    ["int(true)", /cannot turn bool true into an int/],
    ['float("x")', /float\(\): "x" is not a number/],
    ['fromJSON("{")', /fromJSON\(\): the text is not JSON/],
    ['fromBase64("not base64!")', /fromBase64\(\): the text is not standard base64/],
    ["join([1, 2])", /join\(\): element 0 is int 1; join takes an array of strings/],
    ["len(1)", /len takes a string, an array or a map, got int 1/],
    ['repeat("a", -1)', /the count must not be negative/],
    ["take([1], -1)", /cannot take -1 elements/],
    ["take([1], 1.5)", /argument 2 must be an int, got float 1.5/],
    ['sort([1], "up")', /the order is "asc" or "desc", not "up"/],
    ["sort([1, 'a'])", /"<" cannot compare/],
    ["fromPairs([[1, 2, 3]])", /element 0 is array \[1 2 3\]; each pair is \[key, value\]/],
    ["keys([1])", /argument 1 must be a map, got array/],
    ["bitshl(1, -1)", /negative shift count -1/],
    ["bitand(1.5, 1)", /argument 1 must be an int, got float 1.5/],
    ["mean(['a'])", /mean takes numbers or arrays of numbers, got string "a"/],
    ["concat()", /concat\(\) takes at least 1 argument/],
    ["trim()", /trim\(\) takes 1 to 2 arguments, got 0/],
  ])("%s fails", (source, message) => {
    let error: unknown;
    try {
      run(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as Error).message).toMatch(message);
  });
});
