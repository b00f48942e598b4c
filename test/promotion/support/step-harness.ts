import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { systemClock } from "../../../src/clock.js";
import type { ExpressionContext } from "../../../src/promotion/expressions/index.js";
import { STEPS } from "../../../src/promotion/steps/index.js";
import type { StepResult, StepServices } from "../../../src/promotion/step-definition.js";
import type { PromotionEffects, PromotionRequest } from "../../../src/promotion/types.js";
import { createLocalGitWorkspaceFactory } from "../../../src/promotion/workspace/local-git-workspace.js";
import type { Workspace } from "../../../src/promotion/workspace/workspace.js";
import { request, silentLog } from "./run-helpers.js";

export interface StepHarness {
  workspace: Workspace;
  effects: PromotionEffects;
  write(files: Record<string, string>): Promise<void>;
  read(file: string): Promise<string>;
  /** Validates `config` with the step's schema (as the runner does) and runs the step. */
  run(uses: string, config: unknown, options?: { services?: Partial<StepServices>; context?: ExpressionContext; promotion?: PromotionRequest }): Promise<StepResult>;
  dispose(): Promise<void>;
}

/** A real on-disk workspace and the real step table, without the runner around them. */
export async function createStepHarness(): Promise<StepHarness> {
  const factory = createLocalGitWorkspaceFactory({ clock: systemClock, baseDir: mkdtempSync(path.join(tmpdir(), "stagecoach-steps-")) });
  const { workspace } = await factory.open("steps", undefined);
  const effects: PromotionEffects = { freightAliases: {}, freightMetadata: {}, stageMetadata: {} };
  return {
    workspace,
    effects,
    write: async (files) => {
      for (const [file, content] of Object.entries(files)) await workspace.writeFile(file, content);
    },
    read: async (file) => (await workspace.readFile(file)).toString("utf8"),
    run: async (uses, config, options = {}) => {
      const step = STEPS[uses];
      if (!step) throw new Error(`no step ${uses}`);
      return step.run(step.config.parse(config), {
        workspace,
        promotion: options.promotion ?? request([]),
        alias: uses,
        clock: systemClock,
        log: silentLog,
        signal: new AbortController().signal,
        services: { committer: { name: "Stagecoach", email: "stagecoach@example.com" }, ...options.services },
        effects,
        expressionContext: options.context ?? { vars: {}, outputs: {} },
        startedAt: new Date(),
      });
    },
    dispose: () => workspace.dispose(),
  };
}
