import { createSign } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { expect } from "vitest";
import { startGitHubSandbox, type GitHubSandbox, type RegisteredApp, type SandboxOptions } from "../../src/sandbox/github/index.js";

export interface TestSandbox {
  sandbox: GitHubSandbox;
  app: RegisteredApp;
  /** An Octokit authenticated as the App itself (JWT). */
  appOctokit(): Octokit;
  /** An Octokit with an installation token for `installationId`. */
  installationOctokit(installationId: number): Promise<Octokit>;
  /** An Octokit acting as a sandbox user. */
  userOctokit(token: string): Octokit;
  /** Fails the test if any request or response broke GitHub's OpenAPI description; then closes. */
  close(): Promise<void>;
}

export function appJwt(appId: number, privateKey: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify({ iat: nowSeconds - 30, exp: nowSeconds + 540, iss: String(appId) })).toString("base64url");
  const signer = createSign("RSA-SHA256");
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(privateKey).toString("base64url")}`;
}

/** A sandbox with OpenAPI checking on and one registered App, as every GitHub-facing test wants. */
export async function startTestSandbox(options: SandboxOptions & { webhookUrl?: string } = {}): Promise<TestSandbox> {
  const sandbox = await startGitHubSandbox({ validate: true, ...options });
  const app = sandbox.registerApp({ name: "Stagecoach Test", webhookUrl: options.webhookUrl });
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return {
    sandbox,
    app,
    appOctokit: () => new Octokit({ baseUrl: sandbox.url, auth: appJwt(app.id, app.privateKey), log: quiet }),
    async installationOctokit(installationId) {
      const jwtClient = new Octokit({ baseUrl: sandbox.url, auth: appJwt(app.id, app.privateKey), log: quiet });
      const { data } = await jwtClient.rest.apps.createInstallationAccessToken({ installation_id: installationId });
      return new Octokit({ baseUrl: sandbox.url, auth: data.token, log: quiet });
    },
    userOctokit: (token) => new Octokit({ baseUrl: sandbox.url, auth: token, log: quiet }),
    async close() {
      const violations = sandbox.schemaViolations();
      await sandbox.close();
      expect(violations, "requests/responses that break GitHub's OpenAPI description").toEqual([]);
    },
  };
}
