import { z } from "zod";
import { argoCdClientOf, asStepError } from "../../argocd/argocd-step-services.js";
import { checkArgoCdApps, DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS, type WaitTarget } from "../../argocd/check-argocd-apps.js";
import { refOf, resolveApps } from "../../argocd/resolve-apps.js";
import type { JsonObject, JsonValue } from "../expressions/index.js";
import { parseDuration } from "../parse-duration.js";
import { defineStep } from "../step-definition.js";
import { appSelection, NAME_OR_SELECTOR } from "../step-support/config-fields.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  /** Default: every Application an earlier argocd-update step of this promotion updated. */
  apps: z.array(z.strictObject({ ...appSelection, desiredRevision: z.string().min(1).optional() }).refine(...NAME_OR_SELECTOR)).min(1).optional(),
  timeout: z.string().min(1).optional(),
});

interface UpdatedAppOutput {
  name: string;
  namespace: string;
  expectedRevisions: Array<string | null>;
}

/** What earlier argocd-update steps reported, found by the shape of their outputs. */
function earlierUpdates(outputs: JsonObject | undefined): UpdatedAppOutput[] {
  return Object.values(outputs ?? {}).flatMap((output: JsonValue) => {
    const apps = output && typeof output === "object" && !Array.isArray(output) ? output.argocdApps : undefined;
    return Array.isArray(apps) ? (apps as unknown as UpdatedAppOutput[]) : [];
  });
}

/**
 * Waits until the Applications are Synced and Healthy at the promoted revision. Each call looks
 * once and answers Running until then, so the runner can park the promotion between looks.
 */
export const argocdWait = defineStep({
  uses: "argocd-wait",
  config: schema,
  async run(config, env) {
    const client = argoCdClientOf(env.services, "argocd-wait");
    const timeoutMs = config.timeout ? tryParse(config.timeout) : DEFAULT_WAIT_TIMEOUT_MS;
    const updates = earlierUpdates(env.expressionContext.outputs);
    const expectedFor = (name: string, namespace: string) =>
      updates.find((u) => u.name === name && u.namespace === namespace)?.expectedRevisions.map((r) => r ?? undefined);
    try {
      let targets: WaitTarget[];
      if (config.apps) {
        targets = [];
        for (const [index, entry] of config.apps.entries()) {
          for (const app of await resolveApps(client, entry, `argocd-wait apps[${index}]`)) {
            const ref = refOf(app);
            targets.push({ ...ref, expectedRevisions: entry.desiredRevision ?? expectedFor(ref.name, ref.namespace) });
          }
        }
      } else {
        if (updates.length === 0) throw new StepFailure("argocd-wait: no apps[] given and no earlier argocd-update step in this promotion; list the Applications to wait for.", "Errored");
        targets = updates.map((u) => ({ name: u.name, namespace: u.namespace, expectedRevisions: u.expectedRevisions.map((r) => r ?? undefined) }));
      }
      const check = await checkArgoCdApps(client, targets, { startedAt: env.startedAt, now: env.clock.now(), timeoutMs, pollIntervalMs: DEFAULT_POLL_INTERVAL_MS });
      const apps = check.apps.map((state) => ({ app: state.app, phase: state.phase, health: state.health, message: state.message }));
      return { phase: check.phase, message: check.message, outputs: { apps } };
    } catch (error) {
      throw asStepError(error, env);
    }
  },
});

function tryParse(timeout: string): number {
  try {
    return parseDuration(timeout, "argocd-wait timeout");
  } catch (error) {
    throw new StepFailure((error as Error).message, "Errored");
  }
}
