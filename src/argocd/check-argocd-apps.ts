import { ArgoCdError } from "./argocd-error.js";
import type { AppRef, ArgoCdClient } from "./client.js";
import { evaluateAppState, type AppState, type ExpectedRevision } from "./evaluate-app-state.js";

export interface WaitTarget extends AppRef {
  expectedRevisions?: ExpectedRevision;
}

export interface WaitOptions {
  /** When the wait began; kept by the caller (the job's state) so each check stands alone. */
  startedAt: Date;
  now: Date;
  timeoutMs: number;
  pollIntervalMs: number;
}

export interface WaitCheck {
  done: boolean;
  phase: "Succeeded" | "Failed" | "Running";
  message: string;
  /** When to look again; set only while Running. */
  retryAfterMs?: number;
  apps: AppState[];
}

export const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_POLL_INTERVAL_MS = 5_000;

/**
 * One look at the Applications argocd-wait waits for. It never sleeps: a worker runs it, and if
 * the answer is Running, schedules the next look `retryAfterMs` later.
 */
export async function checkArgoCdApps(client: ArgoCdClient, targets: WaitTarget[], options: WaitOptions): Promise<WaitCheck> {
  const elapsed = options.now.getTime() - options.startedAt.getTime();
  const remaining = options.timeoutMs - elapsed;
  const looks = await Promise.all(
    targets.map(async (target): Promise<AppState | Error> => {
      try {
        return evaluateAppState(await client.getApplication(target), target.expectedRevisions);
      } catch (error) {
        if (!(error instanceof ArgoCdError) || !error.retryable) return error as Error;
        // An outage is waited out like a slow rollout, until the timeout.
        return { app: `${target.namespace}/${target.name}`, phase: "Unknown", health: "Unknown", message: error.message };
      }
    }),
  );
  const fatal = looks.find((look): look is Error => look instanceof Error);
  const states = looks.filter((look): look is AppState => !(look instanceof Error));
  if (fatal) return { done: true, phase: "Failed", message: fatal.message, apps: states };
  const degraded = states.filter((state) => state.phase === "Degraded");
  if (degraded.length > 0) return { done: true, phase: "Failed", message: degraded.map((s) => s.message).join("\n"), apps: states };
  const waiting = states.filter((state) => state.phase !== "Healthy");
  if (waiting.length === 0) return { done: true, phase: "Succeeded", message: `${states.map((s) => s.app).join(", ")} Synced and Healthy`, apps: states };
  if (remaining <= 0) {
    return {
      done: true,
      phase: "Failed",
      message: `timed out after ${formatMs(options.timeoutMs)} (raise the step's timeout if this app is slow to roll out):\n${waiting.map((s) => s.message).join("\n")}`,
      apps: states,
    };
  }
  return { done: false, phase: "Running", message: waiting.map((s) => s.message).join("\n"), retryAfterMs: Math.min(options.pollIntervalMs, remaining), apps: states };
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
