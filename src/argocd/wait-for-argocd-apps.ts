import type { Clock } from "../clock.js";
import { checkArgoCdApps, DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS, type WaitCheck, type WaitTarget } from "./check-argocd-apps.js";
import type { ArgoCdClient } from "./client.js";

/** For the local runner and the CLI: checks until done, sleeping on the passed-in clock in between. */
export async function waitForArgoCdApps(
  client: ArgoCdClient,
  targets: WaitTarget[],
  options: { clock: Clock; timeoutMs?: number; pollIntervalMs?: number; signal?: AbortSignal; onCheck?: (check: WaitCheck) => void },
): Promise<WaitCheck> {
  const startedAt = options.clock.now();
  for (;;) {
    const check = await checkArgoCdApps(client, targets, {
      startedAt,
      now: options.clock.now(),
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    });
    options.onCheck?.(check);
    if (check.done) return check;
    await options.clock.sleep(check.retryAfterMs ?? DEFAULT_POLL_INTERVAL_MS, options.signal);
  }
}
