import type { StepEnvironment } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";
import type { PullRequestService } from "./pull-request-service.js";

/** The pull-request service, or an error saying how to run without one. */
export function requirePullRequests(env: StepEnvironment, uses: string): PullRequestService {
  if (env.services.pullRequests) return env.services.pullRequests;
  throw new StepFailure(`${uses} needs a Git host with pull requests (GitHub); locally, run with --skip ${uses}`, "Errored");
}
