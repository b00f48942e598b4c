import { showWord } from "./show-word.js";
import type { ArgumentSpec } from "./types.js";

/** Kargo stage names are Kubernetes names: lowercase letters, digits and dashes. */
const STAGE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Aliases, ID prefixes and image tags all fit the OCI tag grammar. */
const FREIGHT_REF = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const CHECKS: Record<ArgumentSpec["kind"], { pattern: RegExp; rule: string }> = {
  stage: { pattern: STAGE_NAME, rule: "a stage name is lowercase letters, digits and dashes" },
  freight: {
    pattern: FREIGHT_REF,
    rule: "freight is an alias, an ID prefix or an image tag (letters, digits, . _ -)",
  },
};

/**
 * Matches the words of a command against its positional arguments. Returns the values by name,
 * or a sentence saying which word is wrong and why.
 */
export function checkArguments(specs: ArgumentSpec[], args: string[]): Record<string, string> | string {
  const required = specs.filter((s) => !s.optional).length;
  if (args.length < required) {
    const missing = specs.slice(args.length).filter((s) => !s.optional).map((s) => `<${s.name}>`);
    return `missing ${missing.join(" and ")}`;
  }
  if (args.length > specs.length) {
    return `unexpected ${args.slice(specs.length).map(showWord).join(" ")}`;
  }
  const values: Record<string, string> = {};
  for (const [index, spec] of specs.entries()) {
    const value = args[index];
    if (value === undefined) continue;
    const check = CHECKS[spec.kind];
    if (!check.pattern.test(value)) return `${showWord(value)} is not a valid <${spec.name}>: ${check.rule}`;
    values[spec.name] = value;
  }
  return values;
}
