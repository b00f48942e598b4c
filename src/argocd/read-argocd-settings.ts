import type { ArgoCdConnection } from "./client.js";

type Env = Record<string, string | undefined>;

/**
 * The Argo CD connection from the app's environment. Undefined when ARGOCD_SERVER is unset (the
 * argocd steps then fail with a message saying so). Throws with every problem listed at once.
 */
export function readArgoCdSettings(env: Env): ArgoCdConnection | undefined {
  const raw = env.ARGOCD_SERVER?.trim();
  if (!raw) return undefined;
  const problems: string[] = [];
  // The argocd CLI takes a bare host:port in ARGOCD_SERVER; accept that spelling too.
  const server = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  const token = env.ARGOCD_TOKEN ?? "";
  if (!token) problems.push("ARGOCD_TOKEN is not set: create an API token for a local Argo CD account (see docs/argocd.md) and put it in ARGOCD_TOKEN.");
  const insecure = (env.ARGOCD_INSECURE_SKIP_TLS_VERIFY ?? "false").toLowerCase();
  if (insecure !== "true" && insecure !== "false") problems.push(`ARGOCD_INSECURE_SKIP_TLS_VERIFY must be true or false, got "${env.ARGOCD_INSECURE_SKIP_TLS_VERIFY}".`);
  const timeoutMs = env.ARGOCD_TIMEOUT_MS ? Number(env.ARGOCD_TIMEOUT_MS) : undefined;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) problems.push(`ARGOCD_TIMEOUT_MS must be a positive number of milliseconds, got "${env.ARGOCD_TIMEOUT_MS}".`);
  if (problems.length > 0) throw new Error(["Argo CD settings are invalid:", ...problems.map((p) => `  - ${p}`)].join("\n"));
  return { server, token, insecureSkipTLSVerify: insecure === "true", ...(timeoutMs ? { timeoutMs } : {}) };
}
