import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { systemClock } from "../../../src/clock.js";
import { runPromotion, type RunPromotionOptions } from "../../../src/promotion/run-promotion.js";
import { createMemoryStateStore, type PromotionStateStore } from "../../../src/promotion/state-store.js";
import type { PromotionRequest, PromotionStepSpec } from "../../../src/promotion/types.js";
import { createLocalGitWorkspaceFactory } from "../../../src/promotion/workspace/local-git-workspace.js";

export const silentLog = pino({ level: "silent" });

export function request(steps: PromotionStepSpec[], extra: Partial<PromotionRequest> = {}): PromotionRequest {
  return {
    id: "shop/prod/abc123",
    project: "shop",
    stage: "prod",
    freight: [{ name: "abc123", alias: "wiggly-tuatara", origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/shop", tag: "1.4.0", digest: "sha256:1111" }] }],
    steps,
    ...extra,
  };
}

/** Runs a promotion on a local-git workspace with the real step table. */
export function run(req: PromotionRequest, options: Partial<RunPromotionOptions> & { store?: PromotionStateStore; remotes?: Record<string, string> } = {}) {
  const remotes = options.remotes ?? {};
  return runPromotion({
    request: req,
    store: options.store ?? createMemoryStateStore(),
    workspaces: createLocalGitWorkspaceFactory({
      clock: systemClock,
      baseDir: mkdtempSync(path.join(tmpdir(), "stagecoach-ws-")),
      resolveRemote: (url) => remotes[url] ?? url,
    }),
    services: { committer: { name: "Stagecoach", email: "stagecoach@example.com" }, ...options.services },
    clock: systemClock,
    log: silentLog,
    retryDelayMs: 0,
    ...options,
  });
}
