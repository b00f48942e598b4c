import type { ArgoCdConnection } from "./argocd/client.js";
import { readArgoCdSettings } from "./argocd/read-argocd-settings.js";
import { readFileSync } from "node:fs";
import { readCredentials } from "./warehouse/read-credentials.js";
import { readReceiverSecrets } from "./warehouse/registry-webhooks/read-receiver-secrets.js";
import { readDiscoveryNetworkPolicy, readPromotionNetworkPolicy } from "./network/read-network-policy.js";
import type { NetworkPolicy } from "./network/types.js";
import type { CredentialLookup } from "./warehouse/types.js";

/**
 * The app's own configuration, from environment variables. Everything about a pipeline lives in the
 * GitOps repo instead (DESIGN decision 1); this is only what the server needs to run.
 */
export interface Settings {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** GitHub REST base URL; api.github.com unless GitHub Enterprise Server or the sandbox. */
  githubApiUrl?: string;
  redisUrl?: string;
  port: number;
  host: string;
  logLevel: string;
  /** Largest webhook body accepted; GitHub caps deliveries at 25 MB. */
  maxWebhookBytes: number;
  /** Registry, chart-repository and git credentials (STAGECOACH_CREDENTIALS[_FILE]); never from a GitOps repo. */
  credentials?: CredentialLookup;
  /** Non-public hosts discovery may reach (STAGECOACH_ALLOW_PRIVATE_REGISTRIES). */
  discoveryNetwork?: NetworkPolicy;
  /** Registry receiver → secret (REGISTRY_WEBHOOK_SECRET[_<PROVIDER>]); receivers without one are off. */
  registryWebhookSecrets?: Record<string, string>;
  /**
   * Probot spaces GitHub writes a second apart (GitHub's advice against secondary rate limits).
   * Only the demo turns this off, against the local sandbox; there is no variable for it on purpose.
   */
  throttleGitHubWrites?: boolean;
  /** Argo CD API server and token for the argocd-* steps (ARGOCD_SERVER, ARGOCD_TOKEN…); never from a GitOps repo. */
  argocd?: ArgoCdConnection;
  /** Non-public hosts the http step and verification probes may reach (STAGECOACH_ALLOW_PRIVATE_HOSTS). */
  promotionNetwork?: NetworkPolicy;
  /** How often waiting steps (argocd-wait) and verifications with probes look again (STAGECOACH_POLL_MS; default 5 s and 15 s). */
  pollMs?: number;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

type Env = Record<string, string | undefined>;

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export function readSettings(env: Env): Settings {
  const problems: string[] = [];
  const appId = Number(env.APP_ID);
  if (!env.APP_ID) problems.push("APP_ID is not set: use your GitHub App's ID (App settings → General → About).");
  else if (!Number.isInteger(appId) || appId <= 0) problems.push(`APP_ID must be a positive integer, got "${env.APP_ID}".`);

  const privateKey = readPrivateKey(env, problems);

  const webhookSecret = env.WEBHOOK_SECRET ?? "";
  if (!webhookSecret) {
    problems.push("WEBHOOK_SECRET is not set: use the webhook secret from the App's settings (deliveries are refused without it).");
  }

  const port = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got "${env.PORT}".`);

  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL)) {
    problems.push("REDIS_URL must start with redis:// or rediss:// (or be unset for the embedded in-memory queue).");
  }

  const credentials = readCredentials(env);
  problems.push(...credentials.problems);
  const receivers = readReceiverSecrets(env);
  problems.push(...receivers.problems);
  let argocd: ArgoCdConnection | undefined;
  try {
    argocd = readArgoCdSettings(env);
  } catch (error) {
    problems.push(...(error as Error).message.split("\n").slice(1).map((line) => line.replace(/^\s*-\s*/, "")));
  }

  const pollMs = env.STAGECOACH_POLL_MS ? Number(env.STAGECOACH_POLL_MS) : undefined;
  if (pollMs !== undefined && (!Number.isInteger(pollMs) || pollMs < 100)) {
    problems.push(`STAGECOACH_POLL_MS must be a whole number of milliseconds, at least 100, got "${env.STAGECOACH_POLL_MS}".`);
  }

  if (problems.length > 0) throw new SettingsError(["Stagecoach cannot start:", ...problems.map((p) => `  - ${p}`)].join("\n"));

  return {
    appId,
    privateKey,
    webhookSecret,
    githubApiUrl: env.GITHUB_API_URL || (env.GHE_HOST ? `https://${env.GHE_HOST}/api/v3` : undefined),
    redisUrl: env.REDIS_URL || undefined,
    port,
    host: env.HOST || "0.0.0.0",
    logLevel: env.LOG_LEVEL || "info",
    maxWebhookBytes: MAX_WEBHOOK_BYTES,
    credentials: credentials.lookup,
    discoveryNetwork: readDiscoveryNetworkPolicy(env),
    registryWebhookSecrets: receivers.secrets,
    ...(argocd ? { argocd } : {}),
    promotionNetwork: readPromotionNetworkPolicy(env),
    ...(pollMs !== undefined ? { pollMs } : {}),
  };
}

function readPrivateKey(env: Env, problems: string[]): string {
  let key = env.PRIVATE_KEY;
  if (!key && env.PRIVATE_KEY_PATH) {
    try {
      key = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      problems.push(`PRIVATE_KEY_PATH points at ${env.PRIVATE_KEY_PATH}, which cannot be read (${(error as NodeJS.ErrnoException).code}).`);
      return "";
    }
  }
  if (!key) {
    problems.push("PRIVATE_KEY (the PEM text) or PRIVATE_KEY_PATH (a .pem file) is not set: generate a private key in the App's settings.");
    return "";
  }
  // Environment files often carry the PEM with literal \n sequences.
  key = key.replace(/\\n/g, "\n");
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) {
    problems.push("PRIVATE_KEY does not look like a PEM private key (expected a line '-----BEGIN RSA PRIVATE KEY-----').");
  }
  return key;
}
