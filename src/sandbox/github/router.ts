import { GitHubHttpError } from "./http-error.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a route handler gets: path params, query, parsed JSON body, and who is calling. */
export interface RouteRequest<Caller = unknown> {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  caller: Caller;
  baseUrl: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition<Caller = unknown> {
  method: HttpMethod;
  /** GitHub's path template exactly as in its OpenAPI description, e.g. /repos/{owner}/{repo}. */
  path: string;
  /** Who may call: an App JWT, an installation or user token, or nobody (public). */
  auth: "app" | "token" | "any" | "none";
  handle(request: RouteRequest<Caller>): Promise<RouteResponse> | RouteResponse;
}

export interface RouteMatch<Caller> {
  route: RouteDefinition<Caller>;
  params: Record<string, string>;
}

/**
 * Matches a request path against the route templates. A parameter in the last position may span
 * several segments (git refs such as heads/feature/x, file paths), as GitHub's `x-multi-segment`.
 */
export class Router<Caller> {
  private readonly routes: Array<{ route: RouteDefinition<Caller>; segments: string[] }> = [];

  add(routes: Array<RouteDefinition<Caller>>): void {
    for (const route of routes) this.routes.push({ route, segments: route.path.split("/").slice(1) });
    // Literal segments beat parameters: /git/refs/{ref} must not swallow /git/matching-refs/...
    this.routes.sort((a, b) => specificity(b.segments) - specificity(a.segments));
  }

  match(method: string, pathname: string): RouteMatch<Caller> | undefined {
    const parts = pathname.split("/").slice(1);
    let methodMismatch = false;
    for (const { route, segments } of this.routes) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route, params };
    }
    if (methodMismatch) throw new GitHubHttpError(404, "Not Found");
    return undefined;
  }

  list(): Array<RouteDefinition<Caller>> {
    return this.routes.map((r) => r.route);
  }
}

function specificity(segments: string[]): number {
  return segments.reduce((score, s) => score * 2 + (s.startsWith("{") ? 0 : 1), segments.length);
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const segment = template[i]!;
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith("{") && segment.endsWith("}")) {
      const name = segment.slice(1, -1);
      const last = i === template.length - 1;
      const raw = last ? parts.slice(i).join("/") : part;
      if (raw === "") return undefined;
      params[name] = decodeURIComponent(raw);
      if (last) return params;
    } else if (segment !== part) {
      return undefined;
    }
  }
  return parts.length === template.length ? params : undefined;
}
