import type { RouteModule } from "../context.js";
import { appRoutes } from "./apps.js";
import { checkRoutes } from "./checks.js";
import { gitDataRoutes } from "./git-data.js";
import { issueRoutes } from "./issues.js";
import { pullRoutes } from "./pulls.js";
import { repoRoutes } from "./repos.js";
import { reviewRoutes } from "./reviews.js";
import { statusRoutes } from "./statuses.js";
import { deploymentRoutes } from "./deployments.js";
import { teamRoutes } from "./teams.js";
import { actionRoutes } from "./actions.js";

/** The GitHub areas the sandbox serves: adding an area is one module file and one row here. */
export const ROUTE_MODULES: Record<string, RouteModule> = {
  apps: appRoutes,
  repos: repoRoutes,
  gitData: gitDataRoutes,
  pulls: pullRoutes,
  checks: checkRoutes,
  issues: issueRoutes,
  reviews: reviewRoutes,
  statuses: statusRoutes,
  deployments: deploymentRoutes,
  teams: teamRoutes,
  actions: actionRoutes,
};
