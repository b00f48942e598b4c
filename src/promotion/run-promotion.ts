import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import { buildExpressionContext, earlierSucceeded } from "./build-expression-context.js";
import { evaluateTemplate, ExpressionError } from "./expressions/index.js";
import { planSteps, type PlannedStep } from "./plan-steps.js";
import { runStep } from "./run-step.js";
import type { PromotionStateStore } from "./state-store.js";
import { STEPS } from "./steps/index.js";
import type { StepDefinition, StepServices } from "./step-definition.js";
import type { PromotionPhase, PromotionRequest, PromotionState, StepRecord } from "./types.js";
import type { Workspace, WorkspaceFactory } from "./workspace/workspace.js";

export interface RunPromotionOptions {
  request: PromotionRequest;
  store: PromotionStateStore;
  workspaces: WorkspaceFactory;
  services: StepServices;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
  /** The step table; defaults to every built-in step. */
  steps?: Readonly<Record<string, StepDefinition>>;
  /** Wait before retrying an errored step, multiplied by the error count. */
  retryDelayMs?: number;
  /** Called after each step is recorded (the CLI prints phases as they happen). */
  onStep?: (record: StepRecord) => void;
}

const TERMINAL: ReadonlySet<PromotionPhase> = new Set(["Succeeded", "Failed", "Errored", "Aborted"]);

/**
 * Runs (or resumes) a promotion until it ends or a step waits. State is saved after every step,
 * so a second runner over the same store continues at the step the first was on.
 */
export async function runPromotion(options: RunPromotionOptions): Promise<PromotionState> {
  const { request, store, clock } = options;
  let planned: PlannedStep[];
  const saved = await store.get(request.id);
  try {
    planned = planSteps(request);
  } catch (error) {
    const state = saved ?? newState(request, [], clock);
    return finish(options, state, "Errored", (error as Error).message);
  }
  const state = saved ?? newState(request, planned, clock);
  if (TERMINAL.has(state.phase)) return state;
  if (state.abortRequested) return finish(options, state, "Aborted", "aborted before it finished");

  const { workspace, restored } = await options.workspaces.open(request.id, state.workspace);
  if (!restored && state.currentStep > 0) {
    // The workspace died with the worker: run again from the start. Steps are idempotent.
    options.log.info({ promotion: request.id, step: state.currentStep }, "workspace lost; re-running the promotion's steps");
    state.steps = planned.map(pendingRecord);
    state.currentStep = 0;
  }
  state.workspace = workspace.snapshot();
  state.phase = "Running";
  await store.put(state);
  return runFrom(options, state, planned, workspace);
}

/** Marks a promotion to be aborted; the runner stops it before its next step. */
export async function requestAbort(store: PromotionStateStore, id: string): Promise<PromotionState | undefined> {
  const state = await store.get(id);
  if (!state || TERMINAL.has(state.phase)) return state;
  state.abortRequested = true;
  if (state.phase === "Pending") {
    state.phase = "Aborted";
    state.message = "aborted before it started";
  }
  await store.put(state);
  return state;
}

async function runFrom(options: RunPromotionOptions, state: PromotionState, planned: PlannedStep[], workspace: Workspace): Promise<PromotionState> {
  const { request, store, clock, log } = options;
  const signal = options.signal ?? new AbortController().signal;
  const steps = options.steps ?? STEPS;
  for (let index = state.currentStep; index < planned.length; index++) {
    const step = planned[index] as PlannedStep;
    const record = state.steps[index] as StepRecord;
    state.currentStep = index;
    if (signal.aborted || (await store.get(request.id))?.abortRequested) {
      record.phase = "Aborted";
      return finish(options, state, "Aborted", `aborted at step "${step.alias}"`, workspace);
    }
    let context;
    let shouldRun: boolean;
    try {
      context = buildExpressionContext(request, state, planned, index);
      shouldRun = step.spec.if === undefined ? earlierSucceeded(state, index) : truthy(evaluateTemplate(step.spec.if, context));
    } catch (error) {
      const where = error instanceof ExpressionError && !("field" in error) ? `if: ${error.message} at character ${error.offset + 1}` : (error as Error).message;
      Object.assign(record, { phase: "Errored", message: `step "${step.alias}" (${step.uses}): ${where}`, finishedAt: clock.now().toISOString() });
      await save(options, state, workspace, record);
      continue;
    }
    if (!shouldRun) {
      Object.assign(record, { phase: "Skipped", finishedAt: clock.now().toISOString() });
      await save(options, state, workspace, record);
      continue;
    }
    record.startedAt ??= clock.now().toISOString();
    record.phase = "Running";
    state.waiting = false;
    await save(options, state, workspace);
    const outcome = await runStep(
      step,
      record,
      steps[step.uses] as StepDefinition | undefined,
      context,
      { workspace, promotion: request, alias: step.alias, clock, log, signal, services: options.services, effects: state.effects, startedAt: new Date(record.startedAt) },
      options.retryDelayMs ?? 1000,
    );
    record.phase = outcome.phase;
    record.errorCount = outcome.errorCount;
    if (outcome.outputs) record.outputs = outcome.outputs;
    if (outcome.message !== undefined) record.message = outcome.message;
    else delete record.message;
    if (outcome.phase === "Aborted") return finish(options, state, "Aborted", outcome.message ?? "aborted", workspace);
    if (outcome.phase === "Running") {
      // A waiting step: save and hand back; whoever ends the wait calls runPromotion again.
      state.waiting = true;
      await save(options, state, workspace, record);
      return state;
    }
    record.finishedAt = clock.now().toISOString();
    await save(options, state, workspace, record);
  }
  state.currentStep = planned.length;
  const failed = state.steps.find((r) => (r.phase === "Failed" || r.phase === "Errored") && !r.continueOnError);
  return finish(options, state, failed ? (failed.phase as PromotionPhase) : "Succeeded", failed?.message, workspace);
}

async function save(options: RunPromotionOptions, state: PromotionState, workspace: Workspace, record?: StepRecord): Promise<void> {
  state.workspace = workspace.snapshot();
  const stored = await options.store.get(state.id);
  if (stored?.abortRequested) state.abortRequested = true;
  await options.store.put(state);
  if (record) options.onStep?.(record);
}

async function finish(options: RunPromotionOptions, state: PromotionState, phase: PromotionPhase, message: string | undefined, workspace?: Workspace): Promise<PromotionState> {
  state.phase = phase;
  state.waiting = false;
  if (message !== undefined) state.message = message;
  state.finishedAt = options.clock.now().toISOString();
  await options.store.put(state);
  if (workspace) await workspace.dispose();
  return state;
}

function newState(request: PromotionRequest, planned: PlannedStep[], clock: Clock): PromotionState {
  return {
    id: request.id,
    phase: "Pending",
    currentStep: 0,
    steps: planned.map(pendingRecord),
    effects: { freightAliases: {}, freightMetadata: {}, stageMetadata: {} },
    startedAt: clock.now().toISOString(),
  };
}

function pendingRecord(step: PlannedStep): StepRecord {
  return { alias: step.alias, uses: step.uses, phase: "Pending", continueOnError: step.spec.continueOnError ?? false, errorCount: 0 };
}

function truthy(value: unknown): boolean {
  return !(value === null || value === false || value === 0 || value === "" || value === "false");
}
