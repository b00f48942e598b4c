import type { JsonValue } from "../../promotion/expressions/index.js";

/** The longest text a substitution may build: a large arg repeated many times cannot fill memory. */
const MAX_SUBSTITUTED_LENGTH = 1_000_000;

/**
 * Replaces `{{args.name}}` (spaces inside the braces allowed: `{{ args.name }}`) the way Argo
 * Rollouts does (valyala/fasttemplate with `{{`/`}}`): every `{{…}}` must name a known arg, an
 * opening `{{` without its `}}` is an error, and the value goes in as it is.
 */
export function substituteArgs(text: string, args: ReadonlyMap<string, string>): string {
  let out = "";
  let rest = text;
  for (;;) {
    const open = rest.indexOf("{{");
    if (open < 0) return out + rest;
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) throw new Error(`cannot find the end of "{{" in ${JSON.stringify(abbreviate(rest.slice(open)))}; close it with }}`);
    const tag = rest.slice(open + 2, close);
    const name = tag.trim();
    const value = name.startsWith("args.") ? args.get(name.slice("args.".length)) : undefined;
    if (value === undefined) {
      throw new Error(`failed to resolve {{${tag}}}: ${name.startsWith("args.") ? `no arg "${name.slice(5)}"; declare it in spec.args` : "only {{args.name}} is replaced"}`);
    }
    out += rest.slice(0, open) + value;
    if (out.length > MAX_SUBSTITUTED_LENGTH) throw new Error(`substituting args builds more than ${MAX_SUBSTITUTED_LENGTH} characters`);
    rest = rest.slice(close + 2);
  }
}

/** The same for every string inside a value (keys are left alone), as Rollouts substitutes a whole metric. */
export function substituteArgsDeep<T extends JsonValue | object>(value: T, args: ReadonlyMap<string, string>): T {
  return walk(value as JsonValue, args) as T;
}

function walk(value: JsonValue, args: ReadonlyMap<string, string>): JsonValue {
  if (typeof value === "string") return substituteArgs(value, args);
  if (Array.isArray(value)) return value.map((item) => walk(item, args));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, args)]));
  return value;
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
