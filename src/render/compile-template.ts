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

/**
 * What one render of a template from config may cost. Nested `{{#each}}` multiply: nine levels
 * over seven items are 40 million iterations from a 300-byte template, so iterations, output and
 * time are each capped, and the render stops with an error at the first cap it passes.
 */
export interface RenderBudget {
  /** `{{#each}}` iterations and `{{#with}}` blocks entered, all levels together. */
  iterations: number;
  /** Characters the render produces. */
  characters: number;
  milliseconds: number;
}

/** GitHub keeps at most 65,536 characters of a pull request body; more output has no use. */
export const CONFIG_TEMPLATE_BUDGET: RenderBudget = { iterations: 10_000, characters: 65_536, milliseconds: 250 };
/** A template longer than what it may produce is refused when it is compiled. */
export const MAX_TEMPLATE_LENGTH = CONFIG_TEMPLATE_BUDGET.characters;

export interface CompileOptions {
  /** Plain text (a PR title) is not HTML-escaped: GitHub shows titles as typed, so `&amp;` would show. */
  plainText?: boolean;
  /** Milliseconds since some start (performance.now); passed in so a test can drive the clock. */
  now?: () => number;
}

/**
 * Compiles a template at once, so a config with a broken template is refused when it is loaded,
 * not when the first promotion renders it. `field` names the config field in the message.
 */
export function compileTemplate(source: string, field: string, options: CompileOptions = {}): CompiledTemplate {
  if (source.length > MAX_TEMPLATE_LENGTH) {
    return { ok: false, message: `${field}: the template is ${source.length} characters long; at most ${MAX_TEMPLATE_LENGTH} (what GitHub keeps of a pull request body)` };
  }
  return compileWithin(source, field, options, CONFIG_TEMPLATE_BUDGET);
}

/**
 * Compiles a template that ships with Stagecoach: one that does not compile is a bug, so it throws
 * at start-up. Its loops run over the App's own data (the dashboard over every stage), so it has
 * no render budget.
 */
export function compileBuiltInTemplate(source: string, name: string, options: CompileOptions = {}): RenderTemplate {
  const compiled = compileWithin(source, name, options, undefined);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.render;
}

function compileWithin(source: string, field: string, options: CompileOptions, budget: RenderBudget | undefined): CompiledTemplate {
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
  const now = options.now ?? (() => performance.now());
  return {
    ok: true,
    render(view) {
      try {
        if (!budget) return template(view);
        const meter = startMeter(budget, now);
        return meter.check(template(view, { helpers: meter.helpers }));
      } catch (error) {
        throw new Error(`${field}: the template failed to render: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

type BlockHelper = (this: unknown, context: unknown, options: Handlebars.HelperOptions) => string;
const BUILT_IN_BLOCKS = { each: engine.helpers.each as BlockHelper, with: engine.helpers.with as BlockHelper };

/**
 * The built-in `each` and `with`, counting: every block body they run is one iteration, checked
 * against the budget before it runs; what it produced (less what nested blocks produced, counted
 * there) is added to the characters, so nested output is not counted twice.
 */
function startMeter(budget: RenderBudget, now: () => number) {
  const started = now();
  let iterations = 0;
  let characters = 0;
  // The characters produced by the blocks nested in each block body being run.
  const nested: number[] = [];
  const stop = (what: string) => new Error(`${what} (the budget of one render); it stopped after ${Math.round(now() - started)} ms: loop over fewer items or nest fewer {{#each}} blocks`);
  const checkTime = () => {
    if (now() - started > budget.milliseconds) throw stop(`it took more than ${budget.milliseconds} ms`);
  };
  const counted = (fn: Handlebars.TemplateDelegate): Handlebars.TemplateDelegate =>
    Object.assign((context: unknown, runtime?: Handlebars.RuntimeOptions) => {
      iterations += 1;
      if (iterations > budget.iterations) throw stop(`it ran more than ${budget.iterations} {{#each}} / {{#with}} iterations`);
      checkTime();
      nested.push(0);
      const out = fn(context, runtime);
      const inside = nested.pop() ?? 0;
      characters += out.length - inside;
      if (nested.length > 0) nested[nested.length - 1] = (nested.at(-1) ?? 0) + out.length;
      if (characters > budget.characters) throw stop(`it produced more than ${budget.characters} characters`);
      return out;
    }, fn);
  const helpers = Object.fromEntries(
    Object.entries(BUILT_IN_BLOCKS).map(([name, helper]) => [
      name,
      function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
        return helper.call(this, context, { ...options, fn: counted(options.fn) });
      },
    ]),
  );
  return {
    helpers,
    check(output: string): string {
      checkTime();
      if (output.length > budget.characters) throw stop(`it produced ${output.length} characters, more than ${budget.characters}`);
      return output;
    },
  };
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
