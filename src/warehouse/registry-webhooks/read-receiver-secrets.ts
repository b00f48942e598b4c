import { REGISTRY_WEBHOOK_PROVIDERS } from "./providers/index.js";

export const MIN_SECRET_LENGTH = 16;

export interface ReceiverSecrets {
  /** Provider → secret; a provider without one is switched off. */
  secrets: Record<string, string>;
  problems: string[];
}

/**
 * One secret per registry receiver: REGISTRY_WEBHOOK_SECRET_<PROVIDER> (e.g.
 * REGISTRY_WEBHOOK_SECRET_DOCKERHUB), else REGISTRY_WEBHOOK_SECRET for all of them. Short secrets
 * are refused: a URL-path token is only as strong as its length.
 */
export function readReceiverSecrets(env: Record<string, string | undefined>): ReceiverSecrets {
  const secrets: Record<string, string> = {};
  const problems: string[] = [];
  for (const provider of Object.keys(REGISTRY_WEBHOOK_PROVIDERS)) {
    const variable = `REGISTRY_WEBHOOK_SECRET_${provider.toUpperCase()}`;
    const value = env[variable] ?? env.REGISTRY_WEBHOOK_SECRET;
    if (!value) continue;
    if (value.length < MIN_SECRET_LENGTH) {
      problems.push(`${env[variable] ? variable : "REGISTRY_WEBHOOK_SECRET"} is shorter than ${MIN_SECRET_LENGTH} characters; use a long random value (openssl rand -hex 32).`);
      continue;
    }
    if (/[^\x21-\x7e]/.test(value)) {
      problems.push(`${env[variable] ? variable : "REGISTRY_WEBHOOK_SECRET"} contains spaces or non-ASCII characters; registries send it in a URL or a header, so use letters and digits.`);
      continue;
    }
    secrets[provider] = value;
  }
  return { secrets, problems };
}
