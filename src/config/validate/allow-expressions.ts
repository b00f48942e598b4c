import { z } from "zod";
import { hasExpression } from "../../promotion/expressions/index.js";

/**
 * A step's config schema describes the config after its `${{ }}` expressions are evaluated; a
 * pipeline file holds it before. This turns the one into the other: every leaf (string, number,
 * boolean, enum, literal) may instead be a string holding an expression, and everything else is
 * kept: required and optional fields, defaults, strict objects (an unknown field is still
 * reported), array lengths, and refinements ("set only one of …").
 *
 * Refinements run on the file's value, so one that looks at a leaf sees the expression string
 * there: write them to test whether a field is set, not what it holds.
 */
export function allowExpressions(schema: z.ZodType): z.ZodType {
  return fileForm(schema) as z.ZodType;
}

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef;

function fileForm(schema: Schema): Schema {
  const def = schema._zod.def;
  if (LEAVES.has(def.type)) return orExpression(schema);
  if (PASSED_THROUGH.has(def.type)) return schema;
  const parts = PARTS[def.type];
  if (!parts) throw new Error(`allowExpressions: a zod ${def.type} schema has no file form; describe the evaluated config with objects, arrays, records, unions and leaves`);
  // A clone keeps everything on the def that is not replaced: checks (refinements, min/max), catchall, defaults.
  return z.core.clone(schema, z.core.util.mergeDefs(def, parts(def)) as Def);
}

const LEAVES: ReadonlySet<string> = new Set(["string", "number", "boolean", "enum", "literal"]);
// Already accept anything (unknown, any) or nothing (never: the catchall of a strict object).
const PASSED_THROUGH: ReadonlySet<string> = new Set(["unknown", "any", "never"]);

const inner = (def: Def) => ({ innerType: fileForm((def as z.core.$ZodOptionalDef).innerType) });

/** For each container or wrapper kind, the parts of its def that hold schemas, in file form. */
const PARTS: Readonly<Partial<Record<Def["type"], (def: Def) => Record<string, unknown>>>> = {
  object: (def) => {
    const { shape, catchall } = def as z.core.$ZodObjectDef;
    return { shape: Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, fileForm(field)])), ...(catchall ? { catchall: fileForm(catchall) } : {}) };
  },
  array: (def) => ({ element: fileForm((def as z.core.$ZodArrayDef).element) }),
  // Keys are never expressions (Kargo evaluates values only), so a record's keyType stays.
  record: (def) => ({ valueType: fileForm((def as z.core.$ZodRecordDef).valueType) }),
  tuple: (def) => {
    const { items, rest } = def as z.core.$ZodTupleDef;
    return { items: items.map(fileForm), rest: rest ? fileForm(rest) : null };
  },
  union: (def) => {
    // A discriminated union finds its branch by a literal field, which must stay a literal.
    if ("discriminator" in def) throw new Error("allowExpressions: a discriminated union has no file form; use z.union");
    return { options: (def as z.core.$ZodUnionDef).options.map(fileForm) };
  },
  intersection: (def) => {
    const { left, right } = def as z.core.$ZodIntersectionDef;
    return { left: fileForm(left), right: fileForm(right) };
  },
  optional: inner,
  nullable: inner,
  default: inner,
  prefault: inner,
  nonoptional: inner,
  readonly: inner,
  catch: inner,
};

// Issues zod ends a branch with (the value has the wrong type); other issues let a union go on.
const ABORTING: ReadonlySet<string> = new Set(["invalid_type", "invalid_value", "invalid_union"]);

/**
 * The leaf, or a string with an expression in it. When neither fits, the leaf's own issues are
 * reported (a union of the two would only say "Invalid input").
 */
function orExpression(leaf: Schema): Schema {
  const hint = leaf._zod.def.type === "string" ? "" : " (or a ${{ }} expression)";
  return z.unknown().superRefine((value, ctx) => {
    if (typeof value === "string" && hasExpression(value)) return;
    const parsed = z.safeParse(leaf, value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const message = issue.code === "invalid_type" ? `${issue.message}${hint}` : issue.message;
      ctx.addIssue({ ...issue, message, input: value, continue: !ABORTING.has(issue.code) } as z.core.$ZodRawIssue);
    }
  });
}
