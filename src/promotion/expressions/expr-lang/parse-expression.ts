/*
 * Kargo's `${{ }}` expressions are written in expr-lang (github.com/expr-lang/expr, the Go library
 * Kargo embeds). No npm package implements expr-lang, and a JavaScript expression parser (jsep,
 * used before) reads a different language: it cannot read `matches`, map literals, pipes, `#`
 * predicates or `let`, and gives `&&`, `+` and `===` JavaScript's meaning. So this folder is our
 * own implementation, written from expr-lang's language definition and Go semantics: this file
 * parses, evaluate-node.ts interprets over plain data, within the limits in budgets.ts.
 */
import { ExpressionError } from "../expression-error.js";
import type { ExpressionNode, NodeOf } from "./ast.js";
import { MAX_AST_NODES, MAX_NESTING_DEPTH } from "./budgets.js";
import { BINARY_OPERATORS, COMPARISONS, FORBIDDEN_NAMES, NEGATABLE, PREDICATE_BUILTINS, UNARY_PRECEDENCE, type ArgumentShape, type BinaryOperator } from "./grammar.js";
import { lexExpression, type Token } from "./lex-expression.js";

/**
 * Parses one expr-lang expression (the text between `${{` and `}}`) with precedence climbing,
 * following expr-lang's grammar: literals, `let x = …; body`, `if c { a } else { b }`, `a ? b : c`,
 * binary and unary operators with expr-lang's precedence, member and index access with `?.`,
 * slices, calls, methods, pipes and predicates. `offset` is where `source` starts in the template,
 * so every node's offset points into the template.
 */
export function parseExpression(source: string, offset: number): ExpressionNode {
  if (source.trim() === "") throw new ExpressionError("empty expression: write a value between the delimiters", offset);
  try {
    return new Parser(lexExpression(source, offset)).parseAll();
  } catch (error) {
    if (error instanceof ExpressionError && !(error instanceof ForbiddenNameError)) throw new ExpressionError(`cannot parse expression: ${error.message}`, error.offset);
    throw error;
  }
}

/** A name that would reach prototypes: not a syntax error, a refusal. */
class ForbiddenNameError extends ExpressionError {}

class Parser {
  private position = 0;
  private depth = 0;
  private predicateDepth = 0;
  private nodes = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): ExpressionNode {
    const node = this.parseSequence();
    const token = this.current;
    if (token.kind !== "eof") {
      const hint = startsExpression(token) ? " (two expressions side by side; join them with an operator)" : "";
      this.fail(`unexpected ${describeToken(token)}${hint}`, token);
    }
    return node;
  }

  private get current(): Token {
    return this.tokens[this.position] as Token;
  }

  private peek(ahead = 1): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)] as Token;
  }

  private advance(): Token {
    const token = this.current;
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  private is(kind: Token["kind"], value?: string): boolean {
    return this.current.kind === kind && (value === undefined || this.current.value === value);
  }

  private expect(kind: Token["kind"], value: string): Token {
    if (!this.is(kind, value)) this.fail(`expected "${value}", found ${describeToken(this.current)}`, this.current);
    return this.advance();
  }

  private fail(message: string, token: Token): never {
    throw new ExpressionError(message, token.offset);
  }

  private node<N extends ExpressionNode>(node: N): N {
    if (++this.nodes > MAX_AST_NODES) {
      throw new ExpressionError(`the expression has more than ${MAX_AST_NODES} parts; split it into vars`, node.offset);
    }
    return node;
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING_DEPTH) this.fail(`the expression nests deeper than ${MAX_NESTING_DEPTH} levels`, token);
  }

  private parseSequence(): ExpressionNode {
    const first = this.parseExpression(0);
    const nodes = [first];
    while (this.is("operator", ";")) {
      this.advance();
      if (this.is("eof") || this.is("bracket", "}") || this.is("bracket", ")")) break;
      nodes.push(this.parseExpression(0));
    }
    return nodes.length === 1 ? first : this.node({ kind: "sequence", nodes, offset: first.offset });
  }

  private parseExpression(precedence: number): ExpressionNode {
    this.enter(this.current);
    try {
      if (precedence === 0 && this.is("operator", "let")) return this.parseLet();
      if (precedence === 0 && this.is("operator", "if")) return this.parseIf();
      let left = this.parsePrimary();
      let previous = "";
      while (this.current.kind === "operator") {
        let operatorToken = this.current;
        let notToken: Token | undefined;
        if (operatorToken.value === "not") {
          const following = this.peek();
          if (following.kind !== "operator" || !NEGATABLE.has(following.value)) {
            this.fail(`unexpected "not" after a value: write "not" before it, or use not in / not matches / not contains / not startsWith / not endsWith`, operatorToken);
          }
          if ((BINARY_OPERATORS[following.value] as BinaryOperator).precedence < precedence) break;
          notToken = operatorToken;
          operatorToken = following;
        }
        const operator = BINARY_OPERATORS[operatorToken.value];
        if (!operator || operator.precedence < precedence) break;
        if (notToken) this.advance();
        this.advance();
        if (operatorToken.value === "|") {
          const name = this.current;
          if (name.kind !== "identifier") this.fail(`expected a function after "|", found ${describeToken(name)}`, name);
          this.advance();
          left = this.parseCall(name, [left]);
          previous = "|";
          continue;
        }
        if (previous === "??" && operatorToken.value !== "??") {
          this.fail(`"${operatorToken.value}" and "??" cannot be mixed: wrap one of them in parentheses`, operatorToken);
        }
        if (COMPARISONS.has(operatorToken.value)) {
          left = this.parseComparison(left, operatorToken, operator.precedence);
        } else {
          const right = this.parseExpression(operator.rightAssociative ? operator.precedence : operator.precedence + 1);
          left = this.node({ kind: "binary", operator: operatorToken.value, left, right, offset: operatorToken.offset });
          if (notToken) left = this.node({ kind: "unary", operator: "not", operand: left, offset: notToken.offset });
        }
        previous = operatorToken.value;
      }
      return precedence === 0 ? this.parseConditional(left) : left;
    } finally {
      this.depth--;
    }
  }

  private parseComparison(first: ExpressionNode, token: Token, precedence: number): ExpressionNode {
    let left = first;
    let operatorToken = token;
    let root: ExpressionNode | undefined;
    for (;;) {
      const right = this.parseExpression(precedence + 1);
      const comparison = this.node<ExpressionNode>({ kind: "binary", operator: operatorToken.value, left, right, offset: operatorToken.offset });
      root = root ? this.node({ kind: "binary", operator: "&&", left: root, right: comparison, offset: operatorToken.offset }) : comparison;
      left = right;
      if (this.current.kind !== "operator" || !COMPARISONS.has(this.current.value)) return root;
      operatorToken = this.advance();
    }
  }

  private parseConditional(test: ExpressionNode): ExpressionNode {
    let node = test;
    while (this.is("operator", "?")) {
      const question = this.advance();
      let consequent: ExpressionNode;
      let alternate: ExpressionNode;
      if (this.is("operator", ":")) {
        this.advance();
        consequent = node;
        alternate = this.parseExpression(0);
      } else {
        consequent = this.parseExpression(0);
        this.expect("operator", ":");
        alternate = this.parseExpression(0);
      }
      node = this.node({ kind: "conditional", test: node, consequent, alternate, offset: question.offset });
    }
    return node;
  }

  private parseLet(): ExpressionNode {
    const keyword = this.advance();
    const name = this.current;
    if (name.kind !== "identifier") this.fail(`expected a variable name after "let", found ${describeToken(name)}`, name);
    this.checkName(name.value, name);
    this.advance();
    this.expect("operator", "=");
    const value = this.parseExpression(0);
    this.expect("operator", ";");
    const body = this.parseSequence();
    return this.node({ kind: "let", name: name.value, value, body, offset: keyword.offset });
  }

  private parseIf(): ExpressionNode {
    const keyword = this.advance();
    const test = this.parseExpression(0);
    this.expect("bracket", "{");
    const consequent = this.parseSequence();
    this.expect("bracket", "}");
    this.expect("operator", "else");
    let alternate: ExpressionNode;
    if (this.is("operator", "if")) {
      alternate = this.parseIf();
    } else {
      this.expect("bracket", "{");
      alternate = this.parseSequence();
      this.expect("bracket", "}");
    }
    return this.node({ kind: "conditional", test, consequent, alternate, offset: keyword.offset });
  }

  private parsePrimary(): ExpressionNode {
    const token = this.current;
    const unary = token.kind === "operator" ? UNARY_PRECEDENCE[token.value] : undefined;
    if (unary !== undefined) {
      this.advance();
      const operand = this.parseExpression(unary);
      return this.parsePostfix(this.node({ kind: "unary", operator: token.value, operand, offset: token.offset }));
    }
    if (token.kind === "bracket" && token.value === "(") {
      this.enter(token);
      try {
        this.advance();
        const inner = this.parseSequence();
        this.expect("bracket", ")");
        return this.parsePostfix(inner);
      } finally {
        this.depth--;
      }
    }
    if (token.kind === "pointer") {
      if (this.predicateDepth === 0) this.fail(`#${token.value} can only be used inside a predicate (the second argument of filter, map, all, any, …)`, token);
      if (token.value !== "" && token.value !== "index" && token.value !== "acc") this.fail(`unknown pointer #${token.value}: use #, #index or #acc`, token);
      this.advance();
      return this.parsePostfix(this.node({ kind: "pointer", name: token.value as "" | "index" | "acc", offset: token.offset }));
    }
    // Inside a predicate `.Name` is short for `#.Name`.
    if (this.predicateDepth > 0 && token.kind === "operator" && token.value === ".") {
      return this.parsePostfix(this.node({ kind: "pointer", name: "", offset: token.offset }));
    }
    return this.parsePostfix(this.parseLiteralOrName());
  }

  private parseLiteralOrName(): ExpressionNode {
    const token = this.current;
    if (token.kind === "identifier") {
      this.advance();
      if (token.value === "true" || token.value === "false") return this.node({ kind: "bool", value: token.value === "true", offset: token.offset });
      if (token.value === "nil") return this.node({ kind: "nil", offset: token.offset });
      if (this.is("bracket", "(")) return this.parseCall(token, []);
      this.checkName(token.value, token);
      return this.node({ kind: "identifier", name: token.value, offset: token.offset });
    }
    if (token.kind === "number") {
      this.advance();
      return this.node(parseNumber(token));
    }
    if (token.kind === "string") {
      this.advance();
      return this.node({ kind: "string", value: token.value, offset: token.offset });
    }
    if (token.kind === "bracket" && token.value === "[") return this.parseArray();
    if (token.kind === "bracket" && token.value === "{") return this.parseMap();
    const previous = this.tokens[this.position - 1];
    const after = previous?.kind === "operator" ? ` after "${previous.value}"` : "";
    return this.fail(token.kind === "eof" ? `the expression ends too early: a value is missing${after}` : `unexpected ${describeToken(token)}${after}`, token);
  }

  private parseCall(name: Token, piped: ExpressionNode[]): ExpressionNode {
    const shapes = Object.hasOwn(PREDICATE_BUILTINS, name.value) ? PREDICATE_BUILTINS[name.value] : undefined;
    if (!shapes) return this.node({ kind: "call", name: name.value, args: this.parseArguments(piped), offset: name.offset });
    this.expect("bracket", "(");
    const args = [...piped];
    const required = shapes.filter((s) => !s.startsWith("optional")).length;
    shapes.slice(piped.length).forEach((shape, index) => {
      if (this.is("bracket", ")")) {
        if (shape.startsWith("optional")) return;
        this.fail(`${name.value}() takes at least ${required} arguments (${describeShapes(shapes)})`, this.current);
      }
      if (index > 0 || args.length > piped.length) this.expect("operator", ",");
      args.push(shape.endsWith("predicate") ? this.parsePredicate() : this.parseExpression(0));
    });
    if (this.is("operator", ",")) this.advance();
    if (!this.is("bracket", ")")) this.fail(`${name.value}() takes at most ${shapes.length} arguments (${describeShapes(shapes)})`, this.current);
    this.advance();
    return this.node({ kind: "call", name: name.value, args, offset: name.offset });
  }

  private parseArguments(piped: ExpressionNode[]): ExpressionNode[] {
    const args = [...piped];
    this.expect("bracket", "(");
    while (!this.is("bracket", ")")) {
      if (args.length > piped.length) {
        this.expect("operator", ",");
        if (this.is("bracket", ")")) break;
      }
      args.push(this.parseExpression(0));
    }
    this.advance();
    return args;
  }

  private parsePredicate(): ExpressionNode {
    const start = this.current;
    const braces = this.is("bracket", "{");
    if (braces) this.advance();
    this.predicateDepth++;
    const body = braces ? this.parseSequence() : this.parseExpression(0);
    this.predicateDepth--;
    if (braces) this.expect("bracket", "}");
    else if (this.is("operator", ";")) this.fail("a predicate with several parts needs braces: { let x = …; … }", this.current);
    return this.node({ kind: "predicate", body, offset: start.offset });
  }

  private parseArray(): ExpressionNode {
    const open = this.advance();
    this.enter(open);
    const elements: ExpressionNode[] = [];
    while (!this.is("bracket", "]")) {
      if (elements.length > 0) {
        this.expect("operator", ",");
        if (this.is("bracket", "]")) break;
      }
      elements.push(this.parseExpression(0));
    }
    this.advance();
    this.depth--;
    return this.node({ kind: "array", elements, offset: open.offset });
  }

  private parseMap(): ExpressionNode {
    const open = this.advance();
    this.enter(open);
    const entries: { key: ExpressionNode; value: ExpressionNode }[] = [];
    while (!this.is("bracket", "}")) {
      if (entries.length > 0) {
        this.expect("operator", ",");
        if (this.is("bracket", "}")) break;
      }
      const token = this.current;
      let key: ExpressionNode;
      if (token.kind === "number" || token.kind === "string" || token.kind === "identifier") {
        this.checkName(token.value, token);
        this.advance();
        key = this.node({ kind: "string", value: token.value, offset: token.offset });
      } else if (token.kind === "bracket" && token.value === "(") {
        key = this.parseExpression(0);
      } else {
        this.fail(`a map key is a quoted string, a number, a name or an expression in parentheses, not ${describeToken(token)}`, token);
      }
      this.expect("operator", ":");
      entries.push({ key, value: this.parseExpression(0) });
    }
    this.advance();
    this.depth--;
    return this.node({ kind: "map", entries, offset: open.offset });
  }

  /** Member access, indexes, slices and method calls; a `?.` anywhere makes the chain nil-safe. */
  private parsePostfix(start: ExpressionNode): ExpressionNode {
    let node = start;
    let optionalChain = false;
    for (;;) {
      const token = this.current;
      if (token.kind === "operator" && (token.value === "." || token.value === "?.")) {
        const optional = token.value === "?.";
        optionalChain ||= optional;
        this.advance();
        if (optional && this.is("bracket", "[")) {
          node = this.parseIndex(node, true);
          continue;
        }
        const name = this.current;
        if (name.kind !== "identifier" && !(name.kind === "operator" && /^[A-Za-z_]\w*$/.test(name.value))) {
          this.fail(`expected a field name after "${token.value}", found ${describeToken(name)}`, name);
        }
        this.checkName(name.value, name);
        this.advance();
        if (this.is("bracket", "(")) {
          node = this.node({ kind: "method", object: node, name: name.value, args: this.parseArguments([]), optional, offset: name.offset });
        } else {
          const property = this.node<ExpressionNode>({ kind: "string", value: name.value, offset: name.offset });
          node = this.node({ kind: "member", object: node, property, computed: false, optional, offset: name.offset });
        }
      } else if (token.kind === "bracket" && token.value === "[") {
        node = this.parseIndex(node, false);
      } else {
        break;
      }
    }
    return optionalChain ? this.node({ kind: "chain", node, offset: start.offset }) : node;
  }

  private parseIndex(object: ExpressionNode, optional: boolean): ExpressionNode {
    const open = this.advance();
    this.enter(open);
    try {
      if (this.is("operator", ":")) {
        this.advance();
        const to = this.is("bracket", "]") ? undefined : this.parseExpression(0);
        this.expect("bracket", "]");
        return this.node({ kind: "slice", object, ...(to ? { to } : {}), offset: open.offset });
      }
      const from = this.parseExpression(0);
      if (this.is("operator", ":")) {
        this.advance();
        const to = this.is("bracket", "]") ? undefined : this.parseExpression(0);
        this.expect("bracket", "]");
        return this.node({ kind: "slice", object, from, ...(to ? { to } : {}), offset: open.offset });
      }
      this.expect("bracket", "]");
      // A quoted forbidden name is refused at its first letter, after the quote.
      if (from.kind === "string" && FORBIDDEN_NAMES.has(from.value)) this.checkName(from.value, { kind: "string", value: from.value, offset: from.offset + 1 });
      return this.node({ kind: "member", object, property: from, computed: true, optional, offset: open.offset });
    } finally {
      this.depth--;
    }
  }

  private checkName(name: string, token: Token): void {
    if (FORBIDDEN_NAMES.has(name)) throw new ForbiddenNameError(`"${name}" may not be used in an expression`, token.offset);
  }
}

function parseNumber(token: Token): NodeOf<"int"> | NodeOf<"float"> {
  const text = token.value.replaceAll("_", "");
  const lower = text.toLowerCase();
  const radix = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 10;
  if (radix === 10 && /[.e]/.test(lower)) {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new ExpressionError(`float literal ${token.value} is too large`, token.offset);
    return { kind: "float", value, offset: token.offset };
  }
  const digits = radix === 10 ? text : text.slice(2);
  if (digits === "" || !/^[0-9a-f]+$/i.test(digits)) throw new ExpressionError(`invalid number literal ${token.value}`, token.offset);
  const value = parseInt(digits, radix);
  if (!Number.isSafeInteger(value)) throw new ExpressionError(`integer literal ${token.value} is too large (the limit is ${Number.MAX_SAFE_INTEGER})`, token.offset);
  return { kind: "int", value, offset: token.offset };
}

function startsExpression(token: Token): boolean {
  return token.kind === "identifier" || token.kind === "number" || token.kind === "string" || (token.kind === "bracket" && "([{".includes(token.value));
}

function describeToken(token: Token): string {
  if (token.kind === "eof") return "the end of the expression";
  if (token.kind === "string") return `string ${JSON.stringify(token.value)}`;
  if (token.kind === "pointer") return `#${token.value}`;
  return `"${token.value}"`;
}

function describeShapes(shapes: readonly ArgumentShape[]): string {
  return shapes.map((s) => (s.endsWith("predicate") ? (s.startsWith("optional") ? "[predicate]" : "predicate") : s.startsWith("optional") ? "[value]" : "value")).join(", ");
}
