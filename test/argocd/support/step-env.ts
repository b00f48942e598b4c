import type { ArgoCdClient } from "../../../src/argocd/client.js";
import "../../../src/argocd/argocd-step-services.js";
import type { Clock } from "../../../src/clock.js";
import { createSilentLogger } from "../../../src/log.js";
import type { JsonObject } from "../../../src/promotion/expressions/index.js";
import type { FreightReference } from "../../../src/freight/freight-reference.js";
import type { StepEnvironment } from "../../../src/promotion/step-definition.js";
import type { Workspace } from "../../../src/promotion/workspace/workspace.js";

/** The argocd steps never touch files: any use of the workspace fails the test. */
const noWorkspace = new Proxy({} as Workspace, {
  get: (_target, property) => () => {
    throw new Error(`argocd steps must not use the workspace (called ${String(property)})`);
  },
});

export function argoStepEnv(options: { argocd?: ArgoCdClient; clock: Clock; startedAt?: Date; outputs?: JsonObject; freight?: FreightReference[]; alias?: string }): StepEnvironment {
  return {
    workspace: noWorkspace,
    promotion: { id: "shop/prod/abc", project: "shop", stage: "prod", freight: options.freight ?? [{ name: "abc", alias: "wiggly-tuatara", origin: { kind: "Warehouse", name: "web" } }], steps: [] },
    alias: options.alias ?? "step-1",
    clock: options.clock,
    log: createSilentLogger(),
    signal: new AbortController().signal,
    services: { committer: { name: "stagecoach[bot]", email: "stagecoach@users.noreply.github.com" }, ...(options.argocd ? { argocd: options.argocd } : {}) },
    effects: { freightAliases: {}, freightMetadata: {}, stageMetadata: {} },
    expressionContext: { outputs: options.outputs ?? {} },
    startedAt: options.startedAt ?? options.clock.now(),
  };
}
