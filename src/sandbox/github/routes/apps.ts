import { issueToken } from "../authenticate.js";
import { callerInstallationRepos, paginate, type RouteModule } from "../context.js";
import { GitHubHttpError, notFound } from "../http-error.js";
import { APP_PERMISSIONS, appJson, installationJson, ownerOf, repoJson } from "../representations.js";
import type { Caller, Installation } from "../store.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** GitHub Apps: the App itself (JWT), its installations, and installation access tokens. */
export const appRoutes: RouteModule = (context) => {
  const { store } = context;
  const appOf = (caller: Caller) => {
    if (caller.kind !== "app") throw new GitHubHttpError(401, "A JSON web token could not be decoded");
    return caller.app;
  };
  const installationView = (installation: Installation) => {
    const app = store.apps.get(installation.appId)!;
    const account = store.account(installation.account) ?? { id: 1, login: installation.account, type: "User" as const };
    return installationJson(installation, app, account, context.baseUrl);
  };

  return [
    {
      method: "GET",
      path: "/app",
      auth: "app",
      handle: ({ caller }) => {
        const app = appOf(caller);
        const owner = store.account(app.owner) ?? { id: 1, login: app.owner, type: "User" as const };
        return { status: 200, body: appJson(app, owner, context.baseUrl) };
      },
    },
    {
      method: "GET",
      path: "/app/installations",
      auth: "app",
      handle: ({ caller, query }) => {
        const app = appOf(caller);
        const all = [...store.installations.values()].filter((i) => i.appId === app.id).map(installationView);
        const page = paginate(all, query, `${context.baseUrl}/app/installations`);
        return { status: 200, body: page.items, headers: page.headers };
      },
    },
    {
      method: "GET",
      path: "/app/installations/{installation_id}",
      auth: "app",
      handle: ({ caller, params }) => {
        const app = appOf(caller);
        const installation = store.installations.get(Number(params.installation_id));
        if (!installation || installation.appId !== app.id) throw notFound();
        return { status: 200, body: installationView(installation) };
      },
    },
    {
      method: "POST",
      path: "/app/installations/{installation_id}/access_tokens",
      auth: "app",
      handle: ({ caller, params }) => {
        const app = appOf(caller);
        const installation = store.installations.get(Number(params.installation_id));
        if (!installation || installation.appId !== app.id) throw notFound();
        const token = issueToken("ghs");
        const expiresAt = new Date(store.now().getTime() + TOKEN_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
        store.tokens.set(token, { installationId: installation.id, expiresAt });
        return {
          status: 201,
          body: {
            token,
            expires_at: expiresAt,
            permissions: APP_PERMISSIONS,
            repository_selection: installation.repositories === "all" ? "all" : "selected",
          },
        };
      },
    },
    {
      method: "GET",
      path: "/repos/{owner}/{repo}/installation",
      auth: "app",
      handle: ({ caller, params }) => {
        const app = appOf(caller);
        const repo = store.repo(params.owner!, params.repo!);
        const installation = repo && store.installationsCovering(repo).find((i) => i.appId === app.id);
        if (!installation) throw notFound();
        return { status: 200, body: installationView(installation) };
      },
    },
    {
      method: "GET",
      path: "/installation/repositories",
      auth: "token",
      handle: ({ caller, query }) => {
        if (caller.kind !== "installation") throw new GitHubHttpError(403, "This endpoint requires an installation access token");
        const repos = callerInstallationRepos(context, caller).map((repo) =>
          repoJson(repo, ownerOf(repo, store.accounts), context.baseUrl),
        );
        const page = paginate(repos, query, `${context.baseUrl}/installation/repositories`);
        return {
          status: 200,
          body: {
            total_count: repos.length,
            repository_selection: caller.installation.repositories === "all" ? "all" : "selected",
            repositories: page.items,
          },
          headers: page.headers,
        };
      },
    },
  ];
};
