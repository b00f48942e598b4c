import Handlebars from "handlebars";

/**
 * One Handlebars environment for every template, built-in or from config. Handlebars already
 * refuses prototype properties and methods; on top of that only the built-in block helpers
 * exist (no `log`, no partials), so a template can read the view it is given and nothing else.
 */
const engine = Handlebars.create();
engine.unregisterHelper("log");
engine.unregisterHelper("helperMissing");
engine.unregisterHelper("blockHelperMissing");

const KNOWN_HELPERS = { log: false, helperMissing: false, blockHelperMissing: false };

export type RenderTemplate = (view: object) => string;
export type CompiledTemplate = { ok: true; render: RenderTemplate } | { ok: false; message: string };

export interface CompileOptions {
  /** Plain text (a PR title) is not HTML-escaped: GitHub shows titles as typed, so `&amp;` would show. */
  plainText?: boolean;
}

/**
 * Compiles a template at once, so a config with a broken template is refused when it is loaded,
 * not when the first promotion renders it. `field` names the config field in the message.
 */
export function compileTemplate(source: string, field: string, options: CompileOptions = {}): CompiledTemplate {
  const settings = { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true, noEscape: options.plainText === true };
  let template: HandlebarsTemplateDelegate;
  try {
    const ast = engine.parse(source);
    refusePartials(ast);
    engine.precompile(ast, settings);
    template = engine.compile(ast, settings);
  } catch (error) {
    return { ok: false, message: describeCompileError(field, error) };
  }
  return {
    ok: true,
    render(view) {
      try {
        return template(view);
      } catch (error) {
        throw new Error(`${field}: the template failed to render: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

/** Compiles a template that ships with Stagecoach: one that does not compile is a bug, so it throws at start-up. */
export function compileBuiltInTemplate(source: string, name: string, options: CompileOptions = {}): RenderTemplate {
  const compiled = compileTemplate(source, name, options);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.render;
}

/** Partials and decorators would reach outside the view; a user template gets neither. */
function refusePartials(node: unknown): void {
  if (typeof node !== "object" || node === null) return;
  const { type, loc } = node as { type?: string; loc?: { start: { line: number; column: number } } };
  if (type !== undefined && /^(Partial|Decorator)/.test(type)) {
    throw Object.assign(new Error(`${type.startsWith("Partial") ? "partials" : "decorators"} are not allowed`), {
      lineNumber: loc?.start.line,
      column: loc?.start.column,
    });
  }
  for (const value of Object.values(node)) refusePartials(value);
}

/** Handlebars' grammar token names, said the way a template author would. */
const PARSE_TOKENS: Record<string, string> = {
  EOF: "the template ends inside an expression or block",
  INVALID: "an expression that is not closed with }}",
  OPEN_ENDBLOCK: "a {{/…}} that closes no open block",
  CLOSE: "a }} with nothing to close",
};

/** Handlebars reports syntax errors as "Parse error on line N:" plus an excerpt with a caret. */
function describeCompileError(field: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):\n([^\n]*)\n([^\n]*)\n.*got '(\w+)'$/s.exec(text);
  if (parse) {
    const [, line, excerpt, caret, token] = parse;
    const what = PARSE_TOKENS[token as string] ?? `unexpected ${token}`;
    return (
      `${field}: the template does not parse at line ${line} (${what}):\n    ${excerpt}\n    ${caret}\n` +
      `Check that every {{ has its }} and every {{#block}} its {{/block}}.`
    );
  }
  const located = error as { lineNumber?: number; column?: number };
  const at = located.lineNumber === undefined ? "" : ` at line ${located.lineNumber}, column ${(located.column ?? 0) + 1}`;
  const reason = text.replace(/ - \d+:\d+$/, "").replace("You specified knownHelpersOnly, but used", "it uses");
  const hint = reason.startsWith("it uses the unknown helper")
    ? "; templates may use only if, unless, each, with and lookup"
    : "";
  return `${field}: the template does not compile${at}: ${reason}${hint}.`;
}
