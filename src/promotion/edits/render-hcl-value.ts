const MAX_VALUE_DEPTH = 32;

/** Words that cannot stand bare as object keys: they would read as a literal or start a for expression. */
const KEYWORDS: ReadonlySet<string> = new Set(["true", "false", "null", "for", "in", "if", "else", "endif", "endfor"]);

const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Renders a value as an HCL literal: strings quoted and escaped, lists as `["a", "b"]`, objects
 * as `{ key = value }` on one line. A string never carries an interpolation or a directive into
 * the file: `${` becomes `$${` and `%{` becomes `%%{`.
 */
export function renderHclValue(value: unknown, key: string, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw new Error(`the value for "${key}" nests deeper than ${MAX_VALUE_DEPTH} levels`);
  if (value === null) return "null";
  if (typeof value === "string") return quoteHclString(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return renderNumber(value, key);
  if (Array.isArray(value)) return `[${value.map((item) => renderHclValue(item, key, depth + 1)).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([name, item]) => `${renderObjectKey(name)} = ${renderHclValue(item, key, depth + 1)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  throw new Error(`the value for "${key}" is ${describeJs(value)}; use a string, number, boolean, null, list or object`);
}

export function quoteHclString(text: string): string {
  let escaped = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    escaped += ESCAPES[char] ?? (code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : char);
  }
  return `"${escapeTemplateMarkers(escaped)}"`;
}

/** `${` and `%{` start an interpolation or a directive in quoted strings and heredocs alike. */
export function escapeTemplateMarkers(text: string): string {
  return text.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
}

export function renderObjectKey(name: string): string {
  return isHclIdentifier(name) && !KEYWORDS.has(name) ? name : quoteHclString(name);
}

export function isHclIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name);
}

function renderNumber(value: number, key: string): string {
  if (!Number.isFinite(value)) throw new Error(`the value for "${key}" is ${value}, which HCL cannot write; use a finite number`);
  const text = String(value);
  // HCL reads 1e+21, but the tree-sitter grammar behind later edits wants a fraction before the exponent.
  return text.replace(/^(-?\d+)e/, "$1.0e");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function describeJs(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "object") return `a ${(value as object).constructor?.name ?? "non-plain object"}`;
  return `a ${typeof value}`;
}
