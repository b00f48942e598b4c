import type { JsonObject, JsonValue } from "./expressions/index.js";
import type { FreightReference } from "../freight/freight-reference.js";

/** One entry of `promotionTemplate.spec.steps`, with Kargo's field names. */
export interface PromotionStepSpec {
  uses?: string;
  task?: { name: string; kind?: string };
  as?: string;
  if?: string;
  continueOnError?: boolean;
  retry?: { timeout?: string; errorThreshold?: number };
  vars?: PromotionVar[];
  config?: Record<string, unknown>;
}

export interface PromotionVar {
  name: string;
  value?: unknown;
}

/** A PromotionTask: reusable steps with vars; a var without a value must be given by the caller. */
export interface PromotionTaskSpec {
  name: string;
  vars?: PromotionVar[];
  steps: PromotionStepSpec[];
}

/** Everything the runner needs to carry out one promotion. Plain data, so it can be queued. */
export interface PromotionRequest {
  /** Deterministic name (project/stage/freight); the state store key. */
  id: string;
  project: string;
  stage: string;
  /** The freight being promoted first; others (from other warehouses) may follow. */
  freight: FreightReference[];
  actor?: string;
  rollback?: boolean;
  vars?: PromotionVar[];
  steps: PromotionStepSpec[];
  tasks?: Record<string, PromotionTaskSpec>;
  freightMetadata?: Record<string, JsonObject>;
  stageMetadata?: Record<string, JsonObject>;
}

export type PromotionPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Errored" | "Aborted";
export type StepPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Errored" | "Skipped" | "Aborted";

export interface StepRecord {
  alias: string;
  uses: string;
  phase: StepPhase;
  continueOnError: boolean;
  outputs?: JsonObject;
  message?: string;
  /** Consecutive errors so far; the step gives up at retry.errorThreshold. */
  errorCount: number;
  startedAt?: string;
  finishedAt?: string;
}

/** Side effects a step asks for that belong to the caller (freight alias, metadata). */
export interface PromotionEffects {
  freightAliases: Record<string, string>;
  freightMetadata: Record<string, JsonObject>;
  stageMetadata: Record<string, JsonObject>;
}

/** What is saved after every step, so another worker can resume where this one stopped. */
export interface PromotionState {
  id: string;
  phase: PromotionPhase;
  message?: string;
  /** Index of the step being run (or to run next). */
  currentStep: number;
  /**
   * True while the current step waits for something outside (a merge, Argo CD) and nobody runs
   * it; false while a worker is carrying out a step. Under the stage lock, a promotion that is
   * Running and not waiting has lost its worker, and the next request for it carries it on.
   */
  waiting?: boolean;
  steps: StepRecord[];
  /** The workspace's own record (a directory, an overlay of edits): whatever restores it. */
  workspace?: JsonValue;
  effects: PromotionEffects;
  abortRequested?: boolean;
  startedAt: string;
  finishedAt?: string;
}
