import { z } from "zod";

/**
 * Step config is checked before any expression is evaluated, so a field that will hold a
 * boolean, a number or one of a few words may, in the file, still be a `${{ }}` string.
 */
const expressionText = z.string().regex(/\$\{[{%]/, "expected a value or a ${{ }} expression");

export function orExpression<T extends z.ZodType>(schema: T) {
  return z.union([schema, expressionText]);
}

export const text = z.string().min(1);
export const flag = orExpression(z.boolean());
export const count = orExpression(z.number().int().nonnegative());
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return orExpression(z.enum(values));
}

/** Kargo's `fromOrigin`: which warehouse's freight a step reads when several are promoted. */
export const fromOrigin = z.strictObject({ kind: z.literal("Warehouse").default("Warehouse"), name: text });

export const nameValuePair = z.strictObject({ name: text, value: z.string() });

export const author = z.strictObject({ name: text.optional(), email: text.optional(), signingKey: text.optional() });

/** The git hosting services git-open-pr and friends know about. */
export const gitProvider = oneOf(["github", "gitlab", "gitea", "azure", "bitbucket"]);
