import { ArgoCdError } from "./argocd-error.js";
import type { WaitTarget } from "./check-argocd-apps.js";
import type { ArgoCdClient } from "./client.js";
import { aggregateStageHealth, evaluateAppState, type AppState, type StageHealth } from "./evaluate-app-state.js";

/**
 * Kargo's stage health from the Applications the stage's argocd-update touched (the targets kept
 * from its outputs.argocdApps). An app Argo CD cannot report on counts as Unknown, not as an error.
 */
export async function readStageHealth(client: ArgoCdClient, targets: WaitTarget[]): Promise<{ health: StageHealth; apps: AppState[] }> {
  const apps = await Promise.all(
    targets.map(async (target): Promise<AppState> => {
      try {
        return evaluateAppState(await client.getApplication(target), target.expectedRevisions);
      } catch (error) {
        if (!(error instanceof ArgoCdError)) throw error;
        return { app: `${target.namespace}/${target.name}`, phase: "Unknown", health: "Unknown", message: error.message };
      }
    }),
  );
  return { health: aggregateStageHealth(apps), apps };
}
