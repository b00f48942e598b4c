import { sourcesOf } from "../../argocd/application-sources.js";
import type { Application, ApplicationTree, ManifestResponse, ResourceDiff, ResourceNode, RuntimeError, SyncOperation, SyncRequest } from "../../argocd/types.js";
import type { FakeArgoCdStore } from "./fake-argocd-store.js";
import { parseLabelSelector } from "./match-label-selector.js";

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  store: FakeArgoCdStore;
  /** RBAC the test took away, as "action:appName". */
  denied: ReadonlySet<string>;
  username: string;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
}

export interface ApiRoute {
  method: string;
  pattern: RegExp;
  handle(request: RouteRequest): RouteAnswer;
}

/** grpc-gateway's error body, with the gRPC code Argo CD uses for each HTTP status. */
export function grpcError(status: number, message: string): RouteAnswer {
  const codes: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 500: 13 };
  const body: RuntimeError = { error: message, code: codes[status] ?? 2, message };
  return { status, body };
}

const ok = (body: unknown): RouteAnswer => ({ status: 200, body });

function namespaceOf(request: RouteRequest): string {
  return request.query.get("appNamespace") || request.store.defaultNamespace;
}

/** Looks the app up the way Argo CD does: RBAC first, so a forbidden app and a missing one look alike. */
function withApp(action: string, handle: (request: RouteRequest, app: Application) => RouteAnswer) {
  return (request: RouteRequest): RouteAnswer => {
    const name = request.params.name!;
    const app = request.store.get(name, namespaceOf(request));
    if (request.denied.has(`${action}:${name}`)) {
      const project = app?.spec?.project ?? "default";
      return grpcError(403, `permission denied: applications, ${action}, ${project}/${name}, sub: ${request.username}`);
    }
    if (!app) return grpcError(404, `applications.argoproj.io "${name}" not found`);
    return handle(request, app);
  };
}

function listApplications(request: RouteRequest): RouteAnswer {
  const selector = request.query.get("selector");
  const matches = selector ? parseLabelSelector(selector) : () => true;
  if (!matches) return grpcError(400, `unable to parse requirement: invalid label selector "${selector}"`);
  const namespace = request.query.get("appNamespace");
  const projects = request.query.getAll("projects");
  const items = request.store
    .list()
    .filter((app) => !namespace || app.metadata?.namespace === namespace)
    .filter((app) => projects.length === 0 || projects.includes(app.spec?.project ?? ""))
    .filter((app) => matches(app.metadata?.labels ?? {}))
    .filter((app) => !request.denied.has(`get:${app.metadata?.name}`));
  return ok({ items, metadata: { resourceVersion: String(items.length) } });
}

function updateApplication(request: RouteRequest, current: Application): RouteAnswer {
  const incoming = request.body as Application | undefined;
  if (typeof incoming !== "object" || incoming === null || incoming.metadata?.name !== request.params.name) {
    return grpcError(400, "application name in the body does not match the URL");
  }
  const problem = specProblem(incoming);
  if (problem) return grpcError(400, `application spec for ${request.params.name} is invalid: InvalidSpecError: ${problem}`);
  return ok(request.store.update({ ...incoming, metadata: { ...incoming.metadata, namespace: current.metadata?.namespace } }));
}

function specProblem(app: Application): string | undefined {
  const spec = app.spec;
  if (!spec) return "spec is required";
  if (spec.source && spec.sources?.length) return "spec.source and spec.sources are mutually exclusive";
  const sources = sourcesOf(app);
  if (sources.length === 0) return "spec.source or spec.sources is required";
  if (sources.some((source) => !source.repoURL)) return "every source needs a repoURL";
  if (!spec.destination?.server && !spec.destination?.name) return "spec.destination.server or spec.destination.name is required";
  return undefined;
}

function syncApplication(request: RouteRequest, app: Application): RouteAnswer {
  const body = (request.body ?? {}) as SyncRequest;
  const operation: SyncOperation = { prune: body.prune ?? false };
  if (body.revision) operation.revision = body.revision;
  if (body.revisions?.length) {
    const positions = (body.sourcePositions ?? []).map(Number);
    if (positions.length !== body.revisions.length || positions.some((p) => !Number.isInteger(p) || p < 1 || p > sourcesOf(app).length)) {
      return grpcError(400, "sourcePositions must give a 1-based source position for each of revisions");
    }
    const revisions = sourcesOf(app).map(() => "");
    positions.forEach((position, index) => (revisions[position - 1] = body.revisions![index]!));
    operation.revisions = revisions;
  }
  try {
    return ok(request.store.sync(request.params.name!, namespaceOf(request), operation, request.username, body.infos ?? []));
  } catch (error) {
    return grpcError(400, (error as Error).message);
  }
}

function resourceTree(_request: RouteRequest, app: Application): RouteAnswer {
  const nodes: ResourceNode[] = [];
  for (const resource of app.status?.resources ?? []) {
    const uid = `${resource.kind}-${resource.namespace}-${resource.name}`;
    const node: ResourceNode = { group: resource.group, version: resource.version, kind: resource.kind, namespace: resource.namespace, name: resource.name, uid, resourceVersion: "1" };
    if (resource.health) node.health = resource.health;
    nodes.push(node);
    if (resource.kind === "Deployment") {
      nodes.push({
        group: "apps",
        version: "v1",
        kind: "ReplicaSet",
        namespace: resource.namespace,
        name: `${resource.name}-5d9c7b`,
        uid: `${uid}-rs`,
        parentRefs: [{ group: "apps", kind: "Deployment", namespace: resource.namespace, name: resource.name, uid }],
        images: imagesOf(app),
        health: resource.health ?? { status: "Missing" },
      });
    }
  }
  const tree: ApplicationTree = { nodes };
  return ok(tree);
}

function imagesOf(app: Application): string[] {
  return sourcesOf(app).flatMap((source) => (source.kustomize?.images ?? []).map((image) => image.split("=").pop() ?? image));
}

/** The live objects of an app, as Argo CD would render them: one per resource in its status. */
function liveObjects(app: Application): Array<Record<string, unknown>> {
  return (app.status?.resources ?? []).map((resource) => ({
    apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
    kind: resource.kind,
    metadata: { name: resource.name, namespace: resource.namespace },
  }));
}

function manifests(request: RouteRequest, app: Application): RouteAnswer {
  const first = sourcesOf(app)[0] ?? {};
  const response: ManifestResponse = {
    manifests: liveObjects(app).map((object) => JSON.stringify(object)),
    namespace: app.spec?.destination?.namespace ?? "",
    server: app.spec?.destination?.server ?? "",
    revision: request.query.get("revision") || request.store.resolve(first),
    sourceType: first.chart ? "Helm" : first.kustomize ? "Kustomize" : "Directory",
  };
  return ok(response);
}

const objectKey = (object: Record<string, unknown>) => {
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
  return `${String(object.apiVersion)}/${String(object.kind)}/${metadata.namespace ?? ""}/${metadata.name ?? ""}`;
};

function serverSideDiff(request: RouteRequest, app: Application): RouteAnswer {
  const live = new Map(liveObjects(app).map((object) => [objectKey(object), object]));
  const items: ResourceDiff[] = [];
  for (const [index, text] of request.query.getAll("targetManifests").entries()) {
    let target: Record<string, unknown>;
    try {
      target = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return grpcError(400, `targetManifests[${index}] is not a JSON object`);
    }
    if (typeof target !== "object" || target === null || typeof target.kind !== "string") return grpcError(400, `targetManifests[${index}] has no kind`);
    const current = live.get(objectKey(target));
    const metadata = (target.metadata ?? {}) as { name?: string; namespace?: string };
    const [group, version] = String(target.apiVersion ?? "").includes("/") ? String(target.apiVersion).split("/") : ["", String(target.apiVersion ?? "")];
    items.push({
      group,
      kind: target.kind,
      name: metadata.name ?? "",
      namespace: metadata.namespace ?? "",
      liveState: current ? JSON.stringify(current) : "null",
      targetState: JSON.stringify(target),
      predictedLiveState: JSON.stringify(target),
      modified: JSON.stringify(current) !== JSON.stringify(target),
      resourceVersion: version ? "1" : "",
    });
  }
  return ok({ items, modified: items.some((item) => item.modified) });
}

const NAME = "(?<name>[^/]+)";

/** The Argo CD endpoints the fake answers, with the swagger's paths and shapes. */
export const API_ROUTES: ApiRoute[] = [
  { method: "GET", pattern: /^\/api\/v1\/applications$/, handle: listApplications },
  { method: "GET", pattern: new RegExp(`^/api/v1/applications/${NAME}$`), handle: withApp("get", (_request, app) => ok(app)) },
  { method: "PUT", pattern: new RegExp(`^/api/v1/applications/${NAME}$`), handle: withApp("update", updateApplication) },
  { method: "POST", pattern: new RegExp(`^/api/v1/applications/${NAME}/sync$`), handle: withApp("sync", syncApplication) },
  { method: "GET", pattern: new RegExp(`^/api/v1/applications/${NAME}/resource-tree$`), handle: withApp("get", resourceTree) },
  { method: "GET", pattern: new RegExp(`^/api/v1/applications/${NAME}/manifests$`), handle: withApp("get", manifests) },
  { method: "GET", pattern: new RegExp(`^/api/v1/applications/${NAME}/server-side-diff$`), handle: withApp("get", serverSideDiff) },
];
