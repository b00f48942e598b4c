import { Agent, fetch } from "undici";
import { ArgoCdError } from "./argocd-error.js";
import { describeHttpFailure, describeTransportFailure, type RbacAction } from "./describe-http-failure.js";
import type { Application, ApplicationList, ApplicationTree, ManifestResponse, RuntimeError, ServerSideDiffResponse, SyncRequest } from "./types.js";

/** How to reach Argo CD. Comes from the app's own settings (env), never from the GitOps repo. */
export interface ArgoCdConnection {
  /** Base URL of the Argo CD API server, e.g. https://argocd.example.com (a --rootpath is kept). */
  server: string;
  /** Bearer token of an Argo CD account; sent only in the Authorization header, never logged. */
  token: string;
  insecureSkipTLSVerify?: boolean;
  /** Per-request limit; default 15 s. */
  timeoutMs?: number;
}

export interface AppRef {
  name: string;
  /** The Application's own namespace (Argo CD's `appNamespace`), usually argocd. */
  namespace: string;
}

export interface SyncOptions {
  /** Single-source apps: the revision to sync to. */
  revision?: string;
  /** Multi-source apps: revisions, one per entry of sourcePositions (1-based). */
  revisions?: string[];
  sourcePositions?: number[];
  /** Only for the message of a 403. */
  project?: string;
  /** Why the sync happens; shown in Argo CD's operation details. */
  reason?: string;
}

export interface ArgoCdClient {
  readonly server: string;
  getApplication(ref: AppRef): Promise<Application>;
  listApplications(query: { selector?: string; appNamespace?: string }): Promise<Application[]>;
  /** PUT of the whole Application: Argo CD takes spec, labels and annotations from it. */
  updateApplication(app: Application): Promise<Application>;
  syncApplication(ref: AppRef, options: SyncOptions): Promise<Application>;
  getResourceTree(ref: AppRef): Promise<ApplicationTree>;
  getManifests(ref: AppRef, revision?: string): Promise<ManifestResponse>;
  /** What applying these manifests would change, computed by Argo CD with a dry-run apply. */
  serverSideDiff(ref: AppRef, options: { project: string; targetManifests: string[] }): Promise<ServerSideDiffResponse>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// Kubernetes object names: Application names are DNS-1123 subdomains, namespaces DNS-1123 labels.
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface Call {
  method: "GET" | "PUT" | "POST";
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  action: RbacAction;
  app?: AppRef & { project?: string };
}

export function createArgoCdClient(connection: ArgoCdConnection): ArgoCdClient {
  const base = parseServer(connection.server);
  const server = base.origin + base.pathname.replace(/\/$/, "");
  if (!connection.token) throw new ArgoCdError("ARGOCD_TOKEN is empty: set it to an Argo CD API token (see docs/argocd.md).", "config");
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dispatcher = new Agent({ connect: { rejectUnauthorized: !connection.insecureSkipTLSVerify } });

  async function call<T>(spec: Call): Promise<T> {
    const url = new URL(server + spec.path);
    for (const [key, value] of spec.query ?? []) url.searchParams.append(key, value);
    const headers: Record<string, string> = { authorization: `Bearer ${connection.token}`, accept: "application/json" };
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    let response;
    try {
      response = await fetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw describeTransportFailure(server, spec.method, spec.path, timeoutMs, error);
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      throw describeHttpFailure({ server, method: spec.method, path: spec.path, action: spec.action, app: spec.app, status: response.status, body: parsed as RuntimeError | undefined });
    }
    if (typeof parsed !== "object" || parsed === null) {
      throw new ArgoCdError(
        `Argo CD at ${server} answered ${spec.method} ${spec.path} with something that is not a JSON object (${response.headers.get("content-type") ?? "no content type"}): ` +
          `check that ARGOCD_SERVER points at the Argo CD API server and not at a login page or proxy.`,
        "bad-response",
        response.status,
      );
    }
    return parsed as T;
  }

  const appPath = (ref: AppRef, suffix = "") => `/api/v1/applications/${encodeURIComponent(checkRef(ref).name)}${suffix}`;
  const nsQuery = (ref: AppRef): Array<[string, string]> => [["appNamespace", ref.namespace]];

  return {
    server,
    getApplication: async (ref) => call<Application>({ method: "GET", path: appPath(ref), query: nsQuery(ref), action: "get", app: ref }),

    async listApplications(query) {
      const params: Array<[string, string]> = [];
      if (query.selector) params.push(["selector", query.selector]);
      if (query.appNamespace) params.push(["appNamespace", checkNamespace(query.appNamespace)]);
      const list = await call<ApplicationList>({ method: "GET", path: "/api/v1/applications", query: params, action: "get" });
      return list.items ?? [];
    },

    async updateApplication(app) {
      const ref = { name: app.metadata?.name ?? "", namespace: app.metadata?.namespace ?? "" };
      return call<Application>({
        method: "PUT",
        path: appPath(ref),
        query: app.spec?.project ? [["project", app.spec.project]] : [],
        body: app,
        action: "update",
        app: { ...ref, project: app.spec?.project },
      });
    },

    async syncApplication(ref, options) {
      const body: SyncRequest = { name: checkRef(ref).name, appNamespace: ref.namespace, prune: false };
      if (options.revision !== undefined) body.revision = options.revision;
      if (options.revisions) body.revisions = options.revisions;
      // int64 travels as a string in grpc-gateway JSON.
      if (options.sourcePositions) body.sourcePositions = options.sourcePositions.map(String);
      if (options.project) body.project = options.project;
      if (options.reason) body.infos = [{ name: "Reason", value: options.reason }];
      return call<Application>({ method: "POST", path: appPath(ref, "/sync"), body, action: "sync", app: { ...ref, project: options.project } });
    },

    getResourceTree: async (ref) => call<ApplicationTree>({ method: "GET", path: appPath(ref, "/resource-tree"), query: nsQuery(ref), action: "get", app: ref }),

    async getManifests(ref, revision) {
      const query = nsQuery(ref);
      if (revision) query.push(["revision", revision]);
      return call<ManifestResponse>({ method: "GET", path: appPath(ref, "/manifests"), query, action: "get", app: ref });
    },

    async serverSideDiff(ref, options) {
      const query = nsQuery(ref);
      query.push(["project", options.project]);
      for (const manifest of options.targetManifests) query.push(["targetManifests", manifest]);
      return call<ServerSideDiffResponse>({ method: "GET", path: appPath(ref, "/server-side-diff"), query, action: "get", app: { ...ref, project: options.project } });
    },

    close: () => dispatcher.close(),
  };
}

function parseServer(server: string): URL {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ArgoCdError(`ARGOCD_SERVER "${server}" is not a URL: use the API server's address, e.g. https://argocd.example.com.`, "config");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ArgoCdError(`ARGOCD_SERVER "${server}" must start with https:// (or http:// for a local server).`, "config");
  }
  if (url.username || url.password) {
    throw new ArgoCdError("ARGOCD_SERVER must not carry credentials in the URL: put the token in ARGOCD_TOKEN.", "config");
  }
  return url;
}

function checkRef(ref: AppRef): AppRef {
  if (!NAME.test(ref.name)) {
    throw new ArgoCdError(`"${ref.name}" is not a valid Argo CD Application name: use lowercase letters, digits, '-' and '.' (apps[].name in the step config).`, "invalid");
  }
  checkNamespace(ref.namespace);
  return ref;
}

function checkNamespace(namespace: string): string {
  if (!NAMESPACE.test(namespace)) {
    throw new ArgoCdError(`"${namespace}" is not a valid Kubernetes namespace: use lowercase letters, digits and '-' (apps[].namespace in the step config).`, "invalid");
  }
  return namespace;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
