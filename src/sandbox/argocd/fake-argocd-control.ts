import type { Application } from "../../argocd/types.js";
import { grpcError, type ApiRoute, type RouteAnswer, type RouteRequest } from "./fake-argocd-routes.js";
import { NotFoundError } from "./fake-argocd-store.js";
import type { SyncOutcome } from "./sync-transitions.js";

const HEALTH = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing"] as const;
const PHASES = ["Succeeded", "Failed"] as const;

function namespaceOf(request: RouteRequest): string {
  return request.query.get("appNamespace") || request.store.defaultNamespace;
}

function readOutcome(value: unknown, field: string): SyncOutcome | string {
  const given = (value ?? {}) as Partial<SyncOutcome>;
  if (typeof value !== "object" || value === null) return `${field} must be an object {phase, health, message}`;
  const phase = given.phase ?? "Succeeded";
  const health = given.health ?? "Healthy";
  if (!PHASES.includes(phase)) return `${field}.phase must be one of ${PHASES.join(", ")}, got ${JSON.stringify(phase)}`;
  if (!HEALTH.includes(health)) return `${field}.health must be one of ${HEALTH.join(", ")}, got ${JSON.stringify(health)}`;
  if (given.message !== undefined && typeof given.message !== "string") return `${field}.message must be a string`;
  return given.message === undefined ? { phase, health } : { phase, health, message: given.message };
}

/** Runs a control action, turning an unknown app into the same 404 the API gives. */
function forApp(act: (request: RouteRequest, name: string, namespace: string) => RouteAnswer) {
  return (request: RouteRequest): RouteAnswer => {
    try {
      return act(request, request.params.name!, namespaceOf(request));
    } catch (error) {
      if (error instanceof NotFoundError) return grpcError(404, error.message);
      throw error;
    }
  };
}

/** The sandbox's own control API, for the demo and for tests in another process. */
export const CONTROL_ROUTES: ApiRoute[] = [
  {
    method: "POST",
    pattern: /^\/_sandbox\/applications$/,
    handle(request) {
      const body = request.body as { application?: Application; outcome?: unknown } | undefined;
      if (typeof body?.application?.metadata?.name !== "string") return grpcError(400, "body must be {application: {metadata: {name}, spec}, outcome?}");
      const outcome = body.outcome === undefined ? undefined : readOutcome(body.outcome, "outcome");
      if (typeof outcome === "string") return grpcError(400, outcome);
      return { status: 200, body: request.store.add(body.application, outcome) };
    },
  },
  {
    method: "POST",
    pattern: /^\/_sandbox\/applications\/(?<name>[^/]+)\/health$/,
    handle: forApp((request, name, namespace) => {
      const outcome = readOutcome({ health: (request.body as { status?: unknown } | undefined)?.status, message: (request.body as { message?: unknown } | undefined)?.message }, "body");
      if (typeof outcome === "string") return grpcError(400, outcome.replace("body.health", "body.status"));
      return { status: 200, body: request.store.setHealth(name, outcome.health, outcome.message, namespace) };
    }),
  },
  {
    method: "POST",
    pattern: /^\/_sandbox\/applications\/(?<name>[^/]+)\/sync-outcome$/,
    handle: forApp((request, name, namespace) => {
      const outcome = readOutcome(request.body, "body");
      if (typeof outcome === "string") return grpcError(400, outcome);
      request.store.scriptSync(name, outcome, namespace);
      return { status: 200, body: outcome };
    }),
  },
  {
    method: "POST",
    pattern: /^\/_sandbox\/applications\/(?<name>[^/]+)\/complete-sync$/,
    handle: forApp((request, name, namespace) => ({ status: 200, body: request.store.completeSync(name, namespace) })),
  },
];
