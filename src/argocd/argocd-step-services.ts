import type { StepEnvironment, StepServices } from "../promotion/step-definition.js";
import { StepFailure } from "../promotion/step-failure.js";
import { ArgoCdError, type ArgoCdErrorKind } from "./argocd-error.js";
import type { ArgoCdClient } from "./client.js";

declare module "../promotion/step-definition.js" {
  interface StepServices {
    /** The Argo CD client built from the app's settings (ARGOCD_SERVER, ARGOCD_TOKEN); absent when unset. */
    argocd?: ArgoCdClient;
  }
}

export function argoCdClientOf(services: StepServices, uses: string): ArgoCdClient {
  if (!services.argocd) {
    throw new StepFailure(`${uses}: Stagecoach has no Argo CD connection; set ARGOCD_SERVER and ARGOCD_TOKEN in the app's environment (see docs/argocd.md).`, "Errored");
  }
  return services.argocd;
}

/** Mistakes in the step's config end the step Errored; refusals by Argo CD end it Failed. */
const PHASE_BY_KIND: Partial<Record<ArgoCdErrorKind, "Failed" | "Errored">> = {
  config: "Errored",
  invalid: "Errored",
  forbidden: "Failed",
  unauthorized: "Failed",
  "not-found": "Failed",
  tls: "Failed",
  "bad-response": "Failed",
};

/**
 * Gives a step's error the promotion's shape: final ones become StepFailure, passing ones (an
 * unreachable server, a conflict) are rethrown so the runner retries them up to errorThreshold.
 */
export function asStepError(error: unknown, env: Pick<StepEnvironment, "alias">): unknown {
  if (!(error instanceof ArgoCdError)) return error;
  const phase = PHASE_BY_KIND[error.kind];
  return phase ? new StepFailure(`${env.alias}: ${error.message}`, phase) : error;
}
