import type { FreightReference } from "../../freight/freight-reference.js";
/** Plain data an expression can produce or read: what JSON can hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One artifact combination the promotion moves, as the freight functions see it. */

/** Answers `success()`, `failure()` and `status('alias')` for the step being evaluated. */
export interface StepStatusView {
  success(): boolean;
  failure(): boolean;
  status(alias: string): string;
}

/**
 * Everything an expression may read. The named contexts are the top-level identifiers
 * (`ctx`, `vars`, `outputs`, `task`); `scope` adds step-specific ones (yaml-parse exposes the
 * parsed document, http exposes `response`).
 */
export interface ExpressionContext {
  ctx?: JsonObject;
  vars?: JsonObject;
  outputs?: JsonObject;
  task?: { outputs: JsonObject };
  scope?: JsonObject;
  freight?: FreightReference[];
  freightMetadata?: Record<string, JsonObject>;
  stageMetadata?: Record<string, JsonObject>;
  /** Each freight's whole status (currentlyIn, verifiedIn, approvedFor, metadata), for freightStatus(). */
  freightStatus?: Record<string, JsonObject>;
  stepStatus?: StepStatusView;
  /**
   * The operator's values for this project, by name (see read-operator-values.ts): secret(),
   * sharedSecret(), configMap() and sharedConfigMap() read them. Never from the GitOps repository.
   */
  secrets?: NamedValues;
  sharedSecrets?: NamedValues;
  configMaps?: NamedValues;
  sharedConfigMaps?: NamedValues;
  /**
   * When set, every value read through secret() or sharedSecret() is added to it, so the caller
   * can redact those values (redactSecrets) from logs, pull request text and check runs.
   */
  revealedSecrets?: Set<string>;
  /** What now() reads; the system clock when absent. */
  clock?: { now(): Date };
}

/** Named maps of string values: a secret's or a ConfigMap's data, by the secret's name. */
export type NamedValues = Record<string, Record<string, string>>;
