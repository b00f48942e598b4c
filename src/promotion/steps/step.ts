import type { z } from "zod";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import type { ExpressionContext, JsonObject } from "../expressions/index.js";
import type { PromotionEffects, PromotionRequest, StepPhase } from "../types.js";
import type { GitIdentity, Workspace } from "../workspace/workspace.js";
import type { PullRequestService } from "./pull-request-service.js";

/**
 * What a step reports. `Running` means "not done yet, call me again later" (waiting steps);
 * `Aborted` means a person stopped the promotion outside Stagecoach (closed its pull request).
 */
export interface StepResult {
  phase: Extract<StepPhase, "Succeeded" | "Running" | "Failed" | "Aborted">;
  outputs?: JsonObject;
  message?: string;
}

/** Services from outside the promotion, passed in by whoever runs it. */
export interface StepServices {
  pullRequests?: PullRequestService;
  /** The http step refuses loopback, link-local and private addresses unless listed here. */
  allowedPrivateHosts?: string[];
  allowPrivateNetworks?: boolean;
  /** Who commits (the App's identity on GitHub). */
  committer: GitIdentity;
  /** Looked-up binaries, so tests and deployments can point at their own. */
  toolPath?: string;
}

export interface StepEnvironment {
  workspace: Workspace;
  promotion: PromotionRequest;
  alias: string;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  services: StepServices;
  effects: PromotionEffects;
  /** For steps that evaluate expressions of their own (yaml-parse outputs, http success). */
  expressionContext: ExpressionContext;
  /** When the step first started (waiting steps measure their own progress from it). */
  startedAt: Date;
}

/** A step: its config schema and what it does. The registry maps `uses:` names to these. */
export interface StepDefinition<Config = unknown> {
  schema: z.ZodType<Config>;
  run(config: Config, env: StepEnvironment): Promise<StepResult>;
}

/**
 * A failure that retrying cannot fix (bad input, a file missing, a PR closed unmerged). The step
 * ends Failed (or Errored for configuration mistakes) at once instead of being retried.
 */
export class StepFailure extends Error {
  readonly phase: "Failed" | "Errored";

  constructor(message: string, phase: "Failed" | "Errored" = "Failed") {
    super(message);
    this.name = "StepFailure";
    this.phase = phase;
  }
}

/** Helper so step files read `defineStep(schema, run)` and keep the config type inferred. */
export function defineStep<S extends z.ZodType>(schema: S, run: (config: z.output<S>, env: StepEnvironment) => Promise<StepResult>): StepDefinition<z.output<S>> {
  return { schema: schema as unknown as z.ZodType<z.output<S>>, run };
}
