import { DiscoveryError } from "../types.js";
import type { GitHubRepository } from "./parse-git-url.js";

interface RequestFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as RequestFailure | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A GitHub API failure as a DiscoveryError that says what to do about it. */
export function explainGitHubError(error: unknown, field: string, repository: GitHubRepository, doing: string): DiscoveryError {
  if (error instanceof DiscoveryError) return error;
  const failure = (error ?? {}) as RequestFailure;
  const status = statusOf(error);
  const name = `${repository.owner}/${repository.repo}`;
  const headers = failure.response?.headers ?? {};
  if ((status === 403 || status === 429) && (String(headers["x-ratelimit-remaining"]) === "0" || /rate limit/i.test(failure.message ?? ""))) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? ` (it resets at ${new Date(reset * 1000).toISOString()})` : "";
    return new DiscoveryError(`${field}: GitHub's API rate limit is used up while ${doing}${when}; discovery will retry`, true);
  }
  switch (status) {
    case 404:
      return new DiscoveryError(
        `${field}: GitHub answers 404 for ${name} while ${doing}: the repository does not exist, or the Stagecoach App is not installed on it, or its installation was not given access to it; check the repoURL, then add the repository to the App's installation`,
        false,
      );
    case 401:
      return new DiscoveryError(`${field}: GitHub refused the App's credentials (401) while ${doing}; check the App's private key and that its installation still exists`, false);
    case 403:
      return new DiscoveryError(`${field}: GitHub refused access to ${name} (403) while ${doing}; give the App the "Contents: read" permission and accept it on the installation`, false);
  }
  if (status === undefined || status >= 500) {
    return new DiscoveryError(`${field}: GitHub could not be reached or failed (${status ?? failure.message ?? "no answer"}) while ${doing}; discovery will retry`, true);
  }
  return new DiscoveryError(`${field}: GitHub answered ${status} while ${doing}: ${failure.message ?? "no message"}`, false);
}
