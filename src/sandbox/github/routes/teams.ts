import { paginate, type RouteModule } from "../context.js";
import { GitHubHttpError, notFound } from "../http-error.js";
import { userJson } from "../representations.js";
import type { Caller, TeamState } from "../store.js";

/**
 * Team membership, which Stagecoach reads to honour `approvers: [team:org/slug]` and promoter
 * teams. Teams are made through the control API (`createTeam`, `addTeamMember`).
 */
export const teamRoutes: RouteModule = (context) => {
  const { store } = context;
  /** An installation sees the teams of the organization it is installed on; a person sees their own organization's. */
  const teamOr404 = (caller: Caller, org: string, slug: string): TeamState => {
    const team = store.team(org, slug);
    if (!team) throw notFound();
    if (caller.kind === "installation" && caller.installation.account.toLowerCase() !== org.toLowerCase()) throw notFound();
    if (caller.kind === "user" && ![...store.teams.values()].some((t) => t.org.toLowerCase() === org.toLowerCase() && t.members.has(caller.account.login.toLowerCase()))) throw notFound();
    if (caller.kind === "anonymous" || caller.kind === "app") throw new GitHubHttpError(401, "Requires authentication");
    return team;
  };

  return [
    {
      method: "GET",
      path: "/orgs/{org}/teams/{team_slug}/memberships/{username}",
      auth: "token",
      handle: ({ caller, params }) => {
        const team = teamOr404(caller, params.org!, params.team_slug!);
        const role = team.members.get(params.username!.toLowerCase());
        // GitHub answers 404 for someone who is not in the team.
        if (!role) throw notFound();
        return {
          status: 200,
          body: { url: `${context.baseUrl}/organizations/${team.org}/team/${team.id}/memberships/${params.username}`, role, state: "active" },
        };
      },
    },
    {
      method: "GET",
      path: "/orgs/{org}/teams/{team_slug}/members",
      auth: "token",
      handle: ({ caller, params, query }) => {
        const team = teamOr404(caller, params.org!, params.team_slug!);
        const role = query.get("role") ?? "all";
        const members = [...team.members.entries()]
          .filter(([, r]) => role === "all" || r === role)
          .flatMap(([login]) => store.account(login) ?? []);
        const page = paginate(members, query, `${context.baseUrl}/orgs/${team.org}/teams/${team.slug}/members`);
        return { status: 200, headers: page.headers, body: page.items.map((a) => userJson(a, context.baseUrl)) };
      },
    },
  ];
};
