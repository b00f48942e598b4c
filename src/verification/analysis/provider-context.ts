import type { Clock } from "../../clock.js";
import type { NetworkPolicy } from "../../network/types.js";
import { credentialHeaders, credentialsFor, type AnalysisSettings } from "./analysis-settings.js";

/** What a provider needs besides the metric: the App's network policy, the operator's settings, the clock. */
export interface ProviderContext {
  /** The policy of STAGECOACH_ALLOW_PRIVATE_HOSTS: which non-public hosts a template may query. */
  policy: NetworkPolicy;
  settings?: AnalysisSettings;
  clock: Pick<Clock, "now">;
  signal?: AbortSignal;
}

/** The operator's headers for a request URL (none when no credentials are bound to its address). */
export function credentialFor(context: ProviderContext, url: URL): { headers: Record<string, string> } {
  return { headers: credentialHeaders(credentialsFor(context.settings, url)) };
}
