import { RE2JS, RE2JSSyntaxException } from "re2js";
import { translateGlob, type GlobDialect } from "./translate-glob.js";

/**
 * Every pattern a repository writes (tag regexes, path filters, stage selectors) runs here, in
 * RE2: matching takes time linear in the text, so no pattern can stall the event loop the way a
 * backtracking engine does on `(a+)+$`. RE2 is also what Kargo (Go's regexp) runs, so a pattern
 * means the same in both. What RE2 cannot run — lookaround, backreferences — is refused with the fix.
 */

/** Longest pattern a config may hold; real tag and path patterns are a few dozen characters. */
export const MAX_PATTERN_LENGTH = 1_000;
/**
 * RE2 compiles `x{500}` into 500 copies of `x`, so a short pattern can cost a long compile.
 * Bounded by the pattern's length with every counted repeat written out.
 */
export const MAX_EXPANDED_LENGTH = 5_000;
/** Compiled patterns kept, so a selector checked for every stage of every view compiles once. */
const CACHE_SIZE = 500;

export interface PatternProblem {
  ok: false;
  /** Follows the quoted pattern in a message: `"(?=x)" uses a lookahead …`. */
  problem: string;
  /** What to do; undefined when the only advice is to fix the pattern (callers say where). */
  fix?: string;
  /** Character offset in the pattern the problem is at, when there is one. */
  offset?: number;
}

export type CompiledPattern = { ok: true; test(text: string): boolean } | PatternProblem;

/** `"<pattern>" <problem>; <fix>`: what a message about a refused pattern says after the field. */
export function describePatternProblem(pattern: string, failure: PatternProblem): string {
  return `"${pattern}" ${failure.problem}; ${failure.fix ?? "fix the pattern"}`;
}

/** Compiles a regular expression from config; `test` searches anywhere in the text, like Go's MatchString. */
export function compileUserRegex(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, problem: `is ${pattern.length} characters long (at most ${MAX_PATTERN_LENGTH})`, fix: "split it into several shorter patterns" };
  }
  const expanded = expandedLength(pattern);
  if (expanded > MAX_EXPANDED_LENGTH) {
    return {
      ok: false,
      problem: `is about ${Math.round(expanded)} characters long once its {n,m} repeats are written out (at most ${MAX_EXPANDED_LENGTH})`,
      fix: "use + or * instead of large repeat counts",
    };
  }
  return cached(`regex\0${pattern}`, () => compileRe2(pattern));
}

/** Compiles a glob (see translate-glob.ts for each dialect); `test` matches the whole text. */
export function compileUserGlob(glob: string, dialect: GlobDialect): CompiledPattern {
  if (glob.length > MAX_PATTERN_LENGTH) {
    return { ok: false, problem: `is ${glob.length} characters long (at most ${MAX_PATTERN_LENGTH})`, fix: "split it into several shorter patterns" };
  }
  return cached(`${dialect}\0${glob}`, () => {
    const translated = translateGlob(glob, dialect);
    return translated.ok ? compileRe2(translated.source) : translated;
  });
}

const cache = new Map<string, CompiledPattern>();

function cached(key: string, compile: () => CompiledPattern): CompiledPattern {
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compile();
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

function compileRe2(source: string): CompiledPattern {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return describeSyntaxError(source, error);
    throw error;
  }
  return { ok: true, test: (text) => compiled.test(text) };
}

/** What RE2 does not have, said with what to write instead; the first row whose test fits wins. */
const UNSUPPORTED: ReadonlyArray<{ test: (fragment: string) => boolean; shown: number; problem: string; fix: string }> = [
  {
    test: (f) => f.startsWith("(?=") || f.startsWith("(?!"),
    shown: 3,
    problem: "uses a lookahead, which RE2 syntax (Kargo's too) does not have",
    fix: "match the text you want directly, and list what must not match as its own entry (ignoreTagsRegexes, excludePaths)",
  },
  {
    test: (f) => f.startsWith("(?<=") || f.startsWith("(?<!"),
    shown: 4,
    problem: "uses a lookbehind, which RE2 syntax (Kargo's too) does not have",
    fix: "match the text you want directly, and list what must not match as its own entry (ignoreTagsRegexes, excludePaths)",
  },
  {
    test: (f) => /^\\[1-9k]/.test(f) || f.startsWith("(?P="),
    shown: 4,
    problem: "uses a backreference, which RE2 syntax (Kargo's too) does not have",
    fix: "write the repeated part out instead of referring back to a group",
  },
  {
    test: (f) => f.startsWith("\\u"),
    shown: 2,
    problem: "uses a \\u escape, which RE2 syntax writes differently",
    fix: "write \\x{263A} for a code point",
  },
  {
    test: (f) => f.startsWith("{"),
    shown: 12,
    problem: "repeats something more than 1000 times (RE2's limit)",
    fix: "use + or * instead of the count",
  },
];

function describeSyntaxError(source: string, error: RE2JSSyntaxException): PatternProblem {
  const fragment = error.input ?? "";
  const found = fragment === "" ? -1 : source.indexOf(fragment);
  const offset = found >= 0 ? found : undefined;
  const known = UNSUPPORTED.find((row) => row.test(fragment));
  if (known) return { ok: false, problem: `${known.problem} (at \`${fragment.slice(0, known.shown)}\`)`, fix: known.fix, offset };
  return { ok: false, problem: `is not a regular expression (${error.error}${fragment ? `: \`${fragment.slice(0, 40)}\`` : ""})`, offset };
}

/**
 * The pattern's length with every `{n}` / `{n,m}` / `{n,}` written out as copies of what it
 * repeats, nested repeats multiplied: about the size of the program RE2 compiles. Linear in the
 * pattern; counts above RE2's limit of 1000 are left for RE2 to refuse.
 */
function expandedLength(pattern: string): number {
  const open: number[] = [];
  let total = 0;
  let last = 0;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    let end = i + 1;
    if (c === "\\") end = escapeEnd(pattern, i);
    else if (c === "[") end = classEnd(pattern, i);
    else if (c === "(") {
      open.push(total);
      total = 0;
      last = 0;
      i = end;
      continue;
    } else if (c === ")") {
      last = total + 2;
      total = (open.pop() ?? 0) + last;
      i = end;
      continue;
    } else if (c === "{") {
      const repeat = /^\{(\d{1,4})(?:(,)(\d{0,4}))?\}/.exec(pattern.slice(i, i + 11));
      if (repeat) {
        const count = Math.min(1000, Math.max(Number(repeat[1]), repeat[3] ? Number(repeat[3]) : 0) + (repeat[2] && !repeat[3] ? 1 : 0));
        total += last * (count - 1);
        last *= count;
        i += repeat[0].length;
        continue;
      }
    }
    last = end - i;
    total += last;
    i = end;
  }
  return open.reduce((sum, outer) => sum + outer, total);
}

/** `\x`, `\x{…}`, `\p{…}`, `\Q…\E`: where the escape that starts at `i` ends. */
function escapeEnd(pattern: string, i: number): number {
  const next = pattern[i + 1];
  if (next === "Q") {
    const close = pattern.indexOf("\\E", i + 2);
    return close < 0 ? pattern.length : close + 2;
  }
  if ((next === "x" || next === "p" || next === "P") && pattern[i + 2] === "{") {
    const close = pattern.indexOf("}", i + 3);
    return close < 0 ? pattern.length : close + 1;
  }
  return Math.min(pattern.length, i + 2);
}

/** Where the character class that starts at `i` ends (`[]a]` and `[^]a]` hold a literal `]`). */
function classEnd(pattern: string, i: number): number {
  let j = i + 1;
  if (pattern[j] === "^") j += 1;
  if (pattern[j] === "]") j += 1;
  while (j < pattern.length && pattern[j] !== "]") {
    if (pattern[j] === "\\") j += 2;
    else if (pattern.startsWith("[:", j)) {
      const close = pattern.indexOf(":]", j + 2);
      j = close < 0 ? j + 1 : close + 2;
    } else j += 1;
  }
  return Math.min(pattern.length, j + 1);
}
