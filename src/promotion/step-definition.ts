import type { z } from "zod";
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import type { ExpressionContext, JsonObject } from "./expressions/index.js";
import type { PromotionEffects, PromotionRequest, StepPhase } from "./types.js";
import type { GitIdentity, Workspace } from "./workspace/workspace.js";
import type { PullRequestService } from "./step-support/pull-request-service.js";

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

/**
 * A built-in step: its `uses:` name, the schema of its evaluated config (the one definition of
 * what the step accepts: `stagecoach validate` derives the pipeline-file check from it, see
 * src/config/validate/allow-expressions.ts) and what it does.
 */
export interface StepDefinition<Config = unknown> {
  readonly uses: string;
  readonly config: z.ZodType<Config>;
  /** Set on steps Kargo has replaced: what to use instead (validation warns with it). */
  readonly deprecated?: string;
  run(config: Config, env: StepEnvironment): Promise<StepResult>;
}

/**
 * Step files read `defineStep({ uses, config, run })`: `run` gets the parsed config's type, and
 * `uses` keeps its literal type so the step table can be typed by it.
 */
export function defineStep<const Uses extends string, S extends z.ZodType>(definition: {
  uses: Uses;
  config: S;
  deprecated?: string;
  run: (config: z.output<S>, env: StepEnvironment) => Promise<StepResult>;
}): StepDefinition<z.output<S>> & { readonly uses: Uses } {
  return { ...definition, config: definition.config as z.ZodType<z.output<S>> };
}
