/**
 * Globs from config, translated to RE2 source (see compile-user-regex.ts) so they match in linear
 * time; a backtracking translation of `*a*a*a*…b` takes seconds on a 30-character path.
 *
 * - `path` (git includePaths/excludePaths): `*` and `?` stay within one directory, `**` as a
 *   whole segment crosses any number of them (`apps/**` is `apps` and all under it), `[abc]`,
 *   `[^abc]` (never `/`) and `{a,b}`; `*` matches names that start with a dot. `[!a]` is the
 *   class of `!` and `a`, as in Go's filepath.Match and the matcher used before.
 * - `name` (stage selectors): `*` is any run of characters and `?` one; nothing else is special.
 */
export type GlobDialect = "path" | "name";

export type TranslatedGlob = { ok: true; source: string } | { ok: false; problem: string; fix: string; offset: number };

const META = /[\\^$.|?*+()[\]{}]/g;
const escape = (text: string) => text.replace(META, "\\$&");
/** Shell extended globs (`@(a|b)`, `!(x)`) and negation read as something else here: refused, not misread. */
const EXTGLOB = /[!@+*?]\(/;

export function translateGlob(glob: string, dialect: GlobDialect): TranslatedGlob {
  if (dialect === "name") return { ok: true, source: `^(?s:${glob.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : escape(c))).join("")})$` };
  if (glob.startsWith("!")) return { ok: false, problem: "starts with !, which would negate the glob", fix: "move the pattern, without the !, to the other list (includePaths or excludePaths)", offset: 0 };
  const extglob = EXTGLOB.exec(glob);
  if (extglob) return { ok: false, problem: `uses the extended glob \`${extglob[0]}…)\`, which is not supported`, fix: "write {a,b} for alternatives, or use a regex: entry", offset: extglob.index };
  return { ok: true, source: `^(?s:${translatePath(glob)})$` };
}

function translatePath(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    const segmentStart = i === 0 || glob[i - 1] === "/";
    if (c === "*" && glob[i + 1] === "*" && segmentStart && (i + 2 === glob.length || glob[i + 2] === "/")) {
      // `**/` is any number of directories (none included); a final `**` is anything below.
      if (i + 2 === glob.length) out = i === 0 ? ".*" : `${out.slice(0, -1)}(?:/.*)?`;
      else out += "(?:.*/)?";
      i += 3;
    } else if (c === "*") {
      while (glob[i] === "*") i += 1;
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
      i += 1;
    } else if (c === "[") {
      const end = classEnd(glob, i);
      if (end < 0) {
        out += "\\[";
        i += 1;
      } else {
        out += translateClass(glob.slice(i + 1, end));
        i = end + 1;
      }
    } else if (c === "{") {
      const alternatives = braceAlternatives(glob, i);
      if (!alternatives) {
        out += "\\{";
        i += 1;
      } else {
        out += `(?:${alternatives.parts.map(translatePath).join("|")})`;
        i = alternatives.end + 1;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      out += escape(glob[i + 1] as string);
      i += 2;
    } else {
      out += escape(c);
      i += 1;
    }
  }
  return out;
}

/** The index of the `]` closing the class at `start` (a `]` first in the class is literal), or -1. */
function classEnd(glob: string, start: number): number {
  let j = start + 1;
  if (glob[j] === "^") j += 1;
  if (glob[j] === "]") j += 1;
  for (; j < glob.length; j += 1) {
    if (glob[j] === "\\") j += 1;
    else if (glob[j] === "]") return j;
  }
  return -1;
}

function translateClass(body: string): string {
  const negated = body.startsWith("^");
  // In a glob `\d` is the letter d; in RE2 it would be a digit class, so only punctuation stays escaped.
  const members = (negated ? body.slice(1) : body).replace(/\\(.)|([[\]^])/g, (_all, escaped: string | undefined, special: string | undefined) =>
    escaped !== undefined && /[A-Za-z0-9]/.test(escaped) ? escaped : `\\${escaped ?? special}`,
  );
  // A negated class never matches the directory separator, as in shells.
  return negated ? `[^/${members}]` : `[${members}]`;
}

/** `{a,b,{c,d}}` at `start`: its top-level alternatives and the index of its `}`; undefined without a top-level comma. */
function braceAlternatives(glob: string, start: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = start + 1;
  for (let j = start + 1; j < glob.length; j += 1) {
    const c = glob[j];
    if (c === "\\") j += 1;
    else if (c === "[") {
      const end = classEnd(glob, j);
      if (end > 0) j = end;
    } else if (c === "{") depth += 1;
    else if (c === "}" && depth > 0) depth -= 1;
    else if (c === "," && depth === 0) {
      parts.push(glob.slice(from, j));
      from = j + 1;
    } else if (c === "}") {
      if (parts.length === 0) return undefined;
      parts.push(glob.slice(from, j));
      return { parts, end: j };
    }
  }
  return undefined;
}
