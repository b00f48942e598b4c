import { evaluateValue, type ExpressionContext, type JsonObject } from "./expressions/index.js";
import type { PlannedStep } from "./plan-steps.js";
import type { PromotionRequest, PromotionState, PromotionVar, StepPhase } from "./types.js";

const OK_PHASES: ReadonlySet<StepPhase> = new Set(["Succeeded", "Skipped"]);

/**
 * The data a step's expressions see: ctx, vars (step vars > template vars > task defaults, each
 * evaluated in order so later vars can use earlier ones), outputs, task.outputs, freight and the
 * status functions as of this step.
 */
export function buildExpressionContext(request: PromotionRequest, state: PromotionState, planned: PlannedStep[], index: number): ExpressionContext {
  const step = planned[index] as PlannedStep;
  const outputs: JsonObject = {};
  const taskOutputs: JsonObject = {};
  state.steps.forEach((record, i) => {
    if (!record.outputs) return;
    outputs[record.alias] = record.outputs;
    const other = planned[i];
    if (step.taskAlias !== undefined && other?.taskAlias === step.taskAlias && other.localAlias !== undefined) {
      taskOutputs[other.localAlias] = record.outputs;
    }
  });
  const target = request.freight[0];
  const context: ExpressionContext = {
    ctx: {
      project: request.project,
      stage: request.stage,
      promotion: request.id,
      targetFreight: { name: target?.name ?? "", alias: target?.alias ?? state.effects.freightAliases[target?.name ?? ""] ?? "", origin: { name: target?.origin.name ?? "" } },
      meta: { promotion: { actor: request.actor ?? "", rollback: request.rollback ?? false } },
    },
    outputs,
    ...(step.taskAlias !== undefined ? { task: { outputs: taskOutputs } } : {}),
    freight: request.freight,
    freightMetadata: mergeMetadata(request.freightMetadata, state.effects.freightMetadata),
    stageMetadata: mergeMetadata(request.stageMetadata, state.effects.stageMetadata),
    stepStatus: {
      success: () => earlierSucceeded(state, index),
      failure: () => !earlierSucceeded(state, index),
      status: (alias) => {
        const record = state.steps.find((r) => r.alias === alias || (step.taskAlias !== undefined && r.alias === `${step.taskAlias}::${alias}`));
        if (!record) throw new Error(`status("${alias}"): no step is called "${alias}"`);
        return record.phase;
      },
    },
  };
  const layers: { label: string; vars: PromotionVar[] }[] = [
    { label: "task vars", vars: step.taskDefaults ?? [] },
    { label: "vars", vars: request.vars ?? [] },
    { label: "task step vars", vars: step.taskStepVars ?? [] },
    { label: "step vars", vars: step.spec.vars ?? [] },
  ];
  const vars: JsonObject = {};
  context.vars = vars;
  for (const layer of layers) {
    for (const v of layer.vars) vars[v.name] = evaluateValue(v.value ?? null, context, `${layer.label}.${v.name}`);
  }
  return context;
}

/** True when every earlier step succeeded, was skipped, or failed with continueOnError. */
export function earlierSucceeded(state: PromotionState, index: number): boolean {
  return state.steps.slice(0, index).every((r) => OK_PHASES.has(r.phase) || r.continueOnError || r.phase === "Pending");
}

function mergeMetadata(base: Record<string, JsonObject> | undefined, added: Record<string, JsonObject>): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = { ...(base ?? {}) };
  for (const [name, values] of Object.entries(added)) out[name] = { ...(out[name] ?? {}), ...values };
  return out;
}
