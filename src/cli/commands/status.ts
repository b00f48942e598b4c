import { Octokit } from "@octokit/rest";
import { parseArgs } from "node:util";
import type { CliCommand } from "../command.js";
import { readRepositoryStatus } from "../read-repository-status.js";
import { renderStatus } from "../render-status.js";

const USAGE = [
  "Usage: stagecoach status --repo OWNER/REPO [--token TOKEN] [--api-url URL] [--app-id ID] [--limit N] [--json]",
  "",
  "Reads a repository's pipeline from GitHub: each stage, the freight it runs (its versions, whether it",
  "passed the stage's verification or was approved for it by hand), open promotion pull requests, and",
  "the newest freight. The config is the one the App runs (refs/stagecoach/config/last-good), or the",
  "default branch's before the App has adopted one. Nothing is written.",
  "",
  "  --repo OWNER/REPO  the GitOps repository",
  "  --token TOKEN      a token that can read it (default: GITHUB_TOKEN); contents, pull requests,",
  "                     deployments and checks, read-only, are enough",
  "  --api-url URL      GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com);",
  "                     GitHub Enterprise Server: https://HOST/api/v3",
  "  --app-id ID        count only this App's check runs as verified/approved (the App's ID)",
  "  --limit N          the newest N freight (default 10)",
  "  --json             print one JSON document instead of tables",
  "",
  "Open promotion pull requests are found by their stagecoach/promotion/<project>/<stage>/… branch and",
  "their metadata block, read without the App's key: the output marks them unverified. The App itself",
  "only acts on pull requests it opened and signed.",
].join("\n");

const DEFAULT_API_URL = "https://api.github.com";
const DEFAULT_LIMIT = 10;

export const statusCommand: CliCommand = {
  summary: "show a repository's stages, the freight they run and open promotions, read from GitHub",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { repo: { type: "string" }, token: { type: "string" }, "api-url": { type: "string" }, "app-id": { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
    });
    const [owner, repo, ...extra] = (values.repo ?? "").split("/");
    if (!owner || !repo || extra.length > 0 || positionals.length > 0) {
      io.err(`stagecoach status: give the repository as --repo OWNER/REPO\n\n${USAGE}`);
      return 2;
    }
    const token = values.token ?? process.env.GITHUB_TOKEN;
    if (!token) {
      io.err("stagecoach status: give --token or set GITHUB_TOKEN: a token that can read the repository (contents, pull requests, deployments, checks)");
      return 2;
    }
    const appId = parseCount(values["app-id"], "--app-id");
    const limit = parseCount(values.limit, "--limit") ?? DEFAULT_LIMIT;
    const baseUrl = (values["api-url"] ?? process.env.GITHUB_API_URL ?? DEFAULT_API_URL).replace(/\/+$/, "");
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const octokit = new Octokit({ baseUrl, auth: token, userAgent: "stagecoach-cli", log: quiet });
    let status;
    try {
      status = await readRepositoryStatus(octokit, { owner, repo }, { limit, ...(appId !== undefined ? { appId } : {}) });
    } catch (error) {
      throw explainGitHubError(error, `${owner}/${repo}`, baseUrl);
    }
    io.out(values.json ? JSON.stringify(status, null, 2) : renderStatus(status, appId !== undefined ? { appId } : {}));
    return 0;
  },
};

function parseCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(value)) throw new Error(`${flag} ${value}: give a positive whole number`);
  return Number(value);
}

/** GitHub's answers, said as what to change. */
function explainGitHubError(error: unknown, repository: string, baseUrl: string): Error {
  const status = (error as { status?: number }).status;
  if (status === 401) return new Error(`${baseUrl} refused the token (401 Bad credentials): check --token or GITHUB_TOKEN, and --api-url for GitHub Enterprise`);
  if (status === 404) return new Error(`${repository} was not found at ${baseUrl} with this token: check the name, and that the token can read the repository (a private one needs contents, pull requests, deployments and checks read access)`);
  if (status === 403) return new Error(`${baseUrl} answered 403 for ${repository}: ${(error as Error).message}. The token may lack read access, or a rate limit was hit (wait, or use a token with a higher limit)`);
  if (status === undefined && error instanceof Error && /fetch failed|ECONNREFUSED|ENOTFOUND/.test(`${error.message} ${String((error as { cause?: unknown }).cause)}`)) {
    return new Error(`could not reach ${baseUrl} (${error.message}); check --api-url`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
