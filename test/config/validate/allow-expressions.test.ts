import { describe, expect, it } from "vitest";
import { z } from "zod";
import { allowExpressions } from "../../../src/config/validate/allow-expressions.js";

const EXPR = "${{ vars.x }}";
const accepts = (schema: z.ZodType, value: unknown) => allowExpressions(schema).safeParse(value).success;
const issues = (schema: z.ZodType, value: unknown) => allowExpressions(schema).safeParse(value).error?.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }));

describe("allowExpressions", () => {
  it.each([
    ["string", z.string().regex(/^[a-z]+$/), "abc", "ABC"],
    ["number", z.number().int().positive(), 3, 0],
    ["boolean", z.boolean(), false, "yes"],
    ["enum", z.enum(["merge", "squash"]), "squash", "fast"],
    ["literal", z.literal("Warehouse"), "Warehouse", "Stage"],
  ])("lets a %s leaf be an expression, and still checks a plain value", (_kind, leaf, good, bad) => {
    expect(accepts(leaf, good)).toBe(true);
    expect(accepts(leaf, EXPR)).toBe(true);
    expect(accepts(leaf, "${% vars.x %}")).toBe(true);
    expect(accepts(leaf, `prefix-${EXPR}`)).toBe(true);
    expect(accepts(leaf, bad)).toBe(false);
  });

  it("reports the leaf's own issue, with a hint where an expression also fits", () => {
    expect(issues(z.boolean(), "yes")).toEqual([{ code: "invalid_type", path: [], message: "Invalid input: expected boolean, received string (or a ${{ }} expression)" }]);
    expect(issues(z.string().min(1), 5)).toEqual([{ code: "invalid_type", path: [], message: "Invalid input: expected string, received number" }]);
    expect(issues(z.enum(["merge", "squash"]), "fast")).toEqual([{ code: "invalid_value", path: [], message: 'Invalid option: expected one of "merge"|"squash"' }]);
    expect(issues(z.string().regex(/^[A-Z]+$/, "use capitals"), "get")).toEqual([{ code: "invalid_format", path: [], message: "use capitals" }]);
  });

  it("keeps optional, default, nullable and required as they were", () => {
    const schema = z.strictObject({ needed: z.number(), maybe: z.boolean().optional(), fallback: z.boolean().default(false), empty: z.string().nullable() });
    expect(accepts(schema, { needed: 1, empty: null })).toBe(true);
    expect(accepts(schema, { needed: EXPR, maybe: EXPR, fallback: EXPR, empty: EXPR })).toBe(true);
    expect(allowExpressions(schema).parse({ needed: 1, empty: null })).toEqual({ needed: 1, fallback: false, empty: null });
    expect(issues(schema, { empty: null })).toEqual([{ code: "invalid_type", path: ["needed"], message: "Invalid input: expected number, received undefined (or a ${{ }} expression)" }]);
    expect(accepts(schema, { needed: 1 })).toBe(false);
  });

  it("rewrites the elements of arrays and tuples, keeping their length checks", () => {
    const list = z.array(z.number()).min(1);
    expect(accepts(list, [1, EXPR])).toBe(true);
    expect(issues(list, [])).toEqual([expect.objectContaining({ code: "too_small", path: [] })]);
    expect(issues(list, [1, true])).toEqual([expect.objectContaining({ code: "invalid_type", path: [1] })]);
    const pair = z.tuple([z.string(), z.boolean()], z.number());
    expect(accepts(pair, ["a", EXPR, 1, EXPR])).toBe(true);
    expect(accepts(pair, ["a", "no"])).toBe(false);
  });

  it("rewrites the values of records, never their keys", () => {
    const labels = z.record(z.string().regex(/^[a-z]+$/), z.number());
    expect(accepts(labels, { a: EXPR, b: 2 })).toBe(true);
    expect(accepts(labels, { [EXPR]: 1 })).toBe(false);
    expect(accepts(labels, { a: "two" })).toBe(false);
  });

  it("rewrites every branch of a union and both sides of an intersection", () => {
    const either = z.union([z.number(), z.strictObject({ name: z.string() })]);
    expect(accepts(either, 1)).toBe(true);
    expect(accepts(either, EXPR)).toBe(true);
    expect(accepts(either, { name: EXPR })).toBe(true);
    expect(accepts(either, true)).toBe(false);
    const both = z.intersection(z.object({ a: z.boolean() }), z.object({ b: z.number() }));
    expect(accepts(both, { a: EXPR, b: EXPR })).toBe(true);
    expect(accepts(both, { a: EXPR, b: "x" })).toBe(false);
  });

  it("keeps nested objects strict: an unknown field is still reported where it is", () => {
    const schema = z.strictObject({ outer: z.strictObject({ inner: z.array(z.strictObject({ key: z.string() })) }) });
    expect(accepts(schema, { outer: { inner: [{ key: EXPR }] } })).toBe(true);
    expect(issues(schema, { outer: { inner: [{ key: "k", kye: "k" }] } })).toEqual([{ code: "unrecognized_keys", path: ["outer", "inner", 0], message: 'Unrecognized key: "kye"' }]);
    expect(issues(schema, { outer: { inner: [] }, extra: 1 })).toEqual([expect.objectContaining({ code: "unrecognized_keys", path: [] })]);
  });

  it("keeps an object that strips unknown fields stripping them", () => {
    expect(allowExpressions(z.object({ a: z.number() })).parse({ a: EXPR, b: 1 })).toEqual({ a: EXPR });
  });

  it("keeps refinements, which then see the expression string", () => {
    const schema = z
      .strictObject({ branch: z.string().optional(), tag: z.string().optional(), fromFreight: z.boolean().optional() })
      .refine((c) => [c.branch, c.tag, c.fromFreight].filter((v) => v !== undefined && v !== false).length <= 1, "set only one of branch, tag or fromFreight");
    expect(accepts(schema, { branch: "main" })).toBe(true);
    expect(issues(schema, { branch: "main", fromFreight: EXPR })).toEqual([{ code: "custom", path: [], message: "set only one of branch, tag or fromFreight" }]);
    expect(issues(schema, { branch: "main", tag: "v1" })).toEqual([{ code: "custom", path: [], message: "set only one of branch, tag or fromFreight" }]);
    const value = z.strictObject({ value: z.unknown().refine((v) => v !== undefined, "give the new value") });
    expect(issues(value, {})).toEqual([{ code: "custom", path: ["value"], message: "give the new value" }]);
  });

  it("leaves values that accept anything as they are", () => {
    expect(accepts(z.record(z.string(), z.unknown()), { a: { deep: [1, EXPR] } })).toBe(true);
    expect(accepts(z.strictObject({ anything: z.any() }), { anything: () => 1 })).toBe(true);
  });

  it("does not change the schema it was given", () => {
    const schema = z.strictObject({ count: z.number() });
    allowExpressions(schema);
    expect(schema.safeParse({ count: EXPR }).success).toBe(false);
  });

  it("refuses kinds it cannot rewrite, naming them, instead of checking them wrongly", () => {
    expect(() => allowExpressions(z.string().transform((s) => s.length))).toThrow("a zod pipe schema has no file form");
    expect(() => allowExpressions(z.lazy(() => z.string()))).toThrow("a zod lazy schema has no file form");
    expect(() => allowExpressions(z.discriminatedUnion("kind", [z.object({ kind: z.literal("a") }), z.object({ kind: z.literal("b") })]))).toThrow("a discriminated union has no file form");
  });
});
