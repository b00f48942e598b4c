import { RE2JS } from "re2js";
import type { ExpressionContext } from "../types.js";
import type { ExpressionNode } from "./ast.js";
import { MAX_ALLOCATION, MAX_COLLECTION_SIZE, MAX_EVALUATION_STEPS, MAX_REGEX_LENGTH, MAX_STRING_LENGTH } from "./budgets.js";
import type { MapValue, Value } from "./values.js";

/** Compiled patterns, shared by evaluations: the same `matches "rc"` runs on every promotion. */
const COMPILED_REGEXES = new Map<string, RE2JS>();
const MAX_CACHED_REGEXES = 256;

/** A failure while evaluating, at the character of the node that failed. */
export class EvaluationError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "EvaluationError";
  }
}

/** A function an expression can call by name. Throwing an Error fails the call at its position. */
export interface ExprFunction {
  /** Fewest and most arguments (Infinity for any number). */
  arity: readonly [number, number];
  call(args: Value[], ev: Evaluation): Value;
}

export type FunctionTable = Readonly<Record<string, ExprFunction>>;

/**
 * The state of one evaluation: what the expression may read, and the budgets it spends. Every
 * node visit and closure iteration is a step; every string, array and map it builds is charged.
 */
export class Evaluation {
  private steps = 0;
  private allocated = 0;
  /** Secret values read through secret()/sharedSecret(), so errors and callers can redact them. */
  readonly secretsRead = new Set<string>();
  /**
   * Why a node came out nil (a missing field, an unknown name), for the error that may follow.
   * Written only when an error needs it: a missing field read with `??` costs no message.
   */
  readonly nilReasons = new Map<ExpressionNode, () => string>();
  /** Set by a function that returns nil, read by the call that made it. */
  pendingNilReason: string | undefined;

  constructor(
    readonly context: ExpressionContext,
    /** The names an expression starts from: ctx, vars, outputs, task and the step's scope. */
    readonly roots: MapValue,
    /** The functions it may call by name (expr-lang's built-ins and Kargo's). */
    readonly functions: FunctionTable,
  ) {}

  tick(count = 1): void {
    this.steps += count;
    if (this.steps > MAX_EVALUATION_STEPS) {
      throw new Error(`the expression takes more than ${MAX_EVALUATION_STEPS} steps (MAX_EVALUATION_STEPS); loop over fewer elements`);
    }
  }

  /** Refuses a string before it is built when it would be too long. */
  checkTextLength(length: number): void {
    if (length > MAX_STRING_LENGTH) {
      throw new Error(`a string of ${length} characters is longer than the limit of ${MAX_STRING_LENGTH} (MAX_STRING_LENGTH)`);
    }
    this.charge(length);
  }

  /** Refuses an array or map before it is built when it would be too large. */
  checkCollectionSize(size: number): void {
    if (size > MAX_COLLECTION_SIZE) {
      throw new Error(`a list or map of ${size} elements is larger than the limit of ${MAX_COLLECTION_SIZE} (MAX_COLLECTION_SIZE)`);
    }
    this.charge(size);
  }

  text(value: string): string {
    this.checkTextLength(value.length);
    return value;
  }

  list<T extends Value[]>(value: T): T {
    this.checkCollectionSize(value.length);
    return value;
  }

  regex(pattern: string): RE2JS {
    const known = COMPILED_REGEXES.get(pattern);
    if (known) return known;
    if (pattern.length > MAX_REGEX_LENGTH) throw new Error(`the regular expression is ${pattern.length} characters long; the limit is ${MAX_REGEX_LENGTH}`);
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      throw new Error(`${JSON.stringify(pattern)} is not a regular expression (RE2 syntax): ${(error as Error).message}`);
    }
    if (COMPILED_REGEXES.size >= MAX_CACHED_REGEXES) COMPILED_REGEXES.delete(COMPILED_REGEXES.keys().next().value as string);
    COMPILED_REGEXES.set(pattern, compiled);
    return compiled;
  }

  now(): Date {
    return this.context.clock?.now() ?? new Date();
  }

  private charge(units: number): void {
    this.allocated += units;
    if (this.allocated > MAX_ALLOCATION) {
      throw new Error(`the expression builds more than ${MAX_ALLOCATION} characters and elements in all (MAX_ALLOCATION)`);
    }
  }
}
