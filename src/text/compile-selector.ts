import { compileUserGlob, compileUserRegex, type CompiledPattern } from "./compile-user-regex.js";
import type { GlobDialect } from "./translate-glob.js";

/**
 * Kargo's prefixed selectors: `regex:` / `regexp:` (searched anywhere, as Go's MatchString does),
 * `glob:`, or a plain value whose meaning depends on what is selected. Runtime matching and config
 * validation both compile through here, so a selector validation accepts is one discovery can run.
 */
export type SelectorKind = "path" | "stage";

interface Dialect {
  glob: GlobDialect;
  plain(value: string): (text: string) => boolean;
  example: { regex: string; glob: string };
}

const DIALECTS: Readonly<Record<SelectorKind, Dialect>> = {
  // A plain path is that file, or everything under that directory.
  path: {
    glob: "path",
    plain(value) {
      const base = value.replace(/^(\.\/)+/, "").replace(/^\/+/, "").replace(/\/+$/, "");
      if (base === "" || base === ".") return () => true;
      return (path) => path === base || path.startsWith(`${base}/`);
    },
    example: { regex: "regex:^apps/[^/]+/values\\.yaml$", glob: "glob:apps/*/values.yaml" },
  },
  stage: {
    glob: "name",
    plain: (value) => (name) => name === value,
    example: { regex: "regex:^prod-", glob: "glob:prod-*" },
  },
};

export function compileSelector(selector: string, kind: SelectorKind): CompiledPattern {
  const dialect = DIALECTS[kind];
  const prefix = /^(regexp?:|glob:)/.exec(selector)?.[0];
  if (prefix === undefined) return { ok: true, test: dialect.plain(selector) };
  const pattern = selector.slice(prefix.length);
  const isRegex = prefix !== "glob:";
  if (pattern === "") return { ok: false, problem: `has no pattern after ${prefix}`, fix: `write e.g. ${isRegex ? dialect.example.regex : dialect.example.glob}`, offset: 0 };
  const compiled = isRegex ? compileUserRegex(pattern) : compileUserGlob(pattern, dialect.glob);
  if (compiled.ok) return compiled;
  return {
    ok: false,
    problem: compiled.problem,
    fix: compiled.fix ?? `fix the pattern after ${prefix}`,
    offset: prefix.length + (compiled.offset ?? 0),
  };
}
