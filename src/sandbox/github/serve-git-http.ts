import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "./authenticate.js";
import type { SandboxContext } from "./context.js";
import { GitHubHttpError } from "./http-error.js";
import type { Account, Caller, RepoState } from "./store.js";

/**
 * git smart HTTP (clone, fetch, push) for the sandbox's repositories, through `git http-backend`.
 * Reads follow the same visibility rules as the API; pushes need a token with write access, and
 * every ref a push changes is announced like any other ref update.
 */
export async function serveGitHttp(context: SandboxContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const match = /^\/_git\/([^/]+)\/([^/]+?)\.git(\/.*)$/.exec(url.pathname);
  if (!match) {
    response.writeHead(404).end("not a repository path\n");
    return;
  }
  const [, owner, name, rest] = match as unknown as [string, string, string, string];
  const pushing = url.searchParams.get("service") === "git-receive-pack" || rest === "/git-receive-pack";
  let caller: Caller;
  let repo: RepoState;
  try {
    caller = authenticate(context.store, request.headers.authorization);
    if (pushing && caller.kind === "anonymous") throw new GitHubHttpError(401, "Authentication required to push");
    repo = context.repo(caller, owner, name, pushing ? "write" : "read");
  } catch (error) {
    const status = error instanceof GitHubHttpError ? error.status : 500;
    response.writeHead(status, status === 401 ? { "www-authenticate": 'Basic realm="GitHub sandbox"' } : {}).end(`${(error as Error).message}\n`);
    return;
  }
  const before = pushing ? await repo.git.refs() : [];
  const child = spawn("git", ["http-backend"], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: context.dataDir,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: `/${repo.owner}/${repo.name}.git${rest}`,
      REQUEST_METHOD: request.method ?? "GET",
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: String(request.headers["content-encoding"] ?? ""),
      GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
      REMOTE_USER: caller.kind === "anonymous" ? "" : context.actor(caller).login,
      REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
    },
  });
  request.pipe(child.stdin);
  let headerBuffer = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      response.write(chunk);
      return;
    }
    headerBuffer = Buffer.concat([headerBuffer, chunk]);
    const end = headerBuffer.indexOf("\r\n\r\n");
    if (end === -1) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of headerBuffer.subarray(0, end).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === "status") status = Number(value.split(" ")[0]);
      else headers[key] = value;
    }
    response.writeHead(status, headers);
    response.write(headerBuffer.subarray(end + 4));
  });
  await new Promise<void>((resolve) => child.on("close", () => resolve()));
  if (!headersDone) response.writeHead(500);
  // Announce before answering, so whoever pushed finds the push delivery already queued.
  if (pushing && rest === "/git-receive-pack") await announceChangedRefs(context, repo, before, context.actor(caller));
  response.end();
}

async function announceChangedRefs(context: SandboxContext, repo: RepoState, before: Array<{ ref: string; sha: string }>, pusher: Account) {
  const after = await repo.git.refs();
  const old = new Map(before.map((r) => [r.ref, r.sha]));
  const now = new Map(after.map((r) => [r.ref, r.sha]));
  for (const ref of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(ref);
    const b = now.get(ref);
    if (a === b) continue;
    const forced = Boolean(a && b && !(await repo.git.isAncestor(a, b)));
    await context.refUpdated({ repo, ref, before: a, after: b, forced, pusher });
  }
}
