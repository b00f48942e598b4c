import { createHash } from "node:crypto";
import { isAutoSync } from "../../argocd/application-sources.js";
import { normalizeRepoUrl } from "../../argocd/normalize-repo-url.js";
import type { Application, ApplicationSource, Info, ResourceStatus, SyncOperation } from "../../argocd/types.js";
import type { Clock } from "../../clock.js";
import { HEALTHY_OUTCOME, beginSync, finishSync, refresh, setHealth, type SyncOutcome } from "./sync-transitions.js";

export type SyncDelay = number | "manual";

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * The fake's Applications, kept in memory as Argo CD would report them. Syncs finish after
 * `syncDelay` on the passed-in clock, or when a test calls `completeSync`.
 */
export class FakeArgoCdStore {
  private readonly apps = new Map<string, Application>();
  private readonly outcomes = new Map<string, SyncOutcome>();
  /** Branch heads learnt from push webhooks: normalised repo URL + "#" + branch → SHA. */
  private readonly heads = new Map<string, string>();
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private version = 1;

  constructor(
    readonly defaultNamespace: string,
    private readonly clock: Clock,
    private readonly syncDelay: SyncDelay,
  ) {}

  add(app: Application, outcome?: SyncOutcome): Application {
    const name = app.metadata?.name;
    if (!name) throw new Error("addApplication: metadata.name is required.");
    const namespace = app.metadata?.namespace ?? this.defaultNamespace;
    const stored: Application = structuredClone(app);
    stored.metadata = { ...stored.metadata, name, namespace, uid: createHash("sha1").update(`${namespace}/${name}`).digest("hex"), resourceVersion: this.nextVersion(), generation: 1 };
    stored.spec = { project: "default", ...stored.spec };
    stored.status = { resources: defaultResources(name, app.spec?.destination?.namespace), ...stored.status };
    if (outcome) this.outcomes.set(key(name, namespace), outcome);
    this.save(refresh(stored, this.resolve, this.clock.now()));
    return this.get(name, namespace)!;
  }

  get(name: string, namespace = this.defaultNamespace): Application | undefined {
    const app = this.apps.get(key(name, namespace));
    return app && structuredClone(app);
  }

  list(): Application[] {
    return [...this.apps.values()].map((app) => structuredClone(app));
  }

  /** Argo CD's Update: spec, labels and annotations come from the request; status stays the server's. */
  update(incoming: Application): Application {
    const current = this.require(incoming.metadata?.name ?? "", incoming.metadata?.namespace ?? this.defaultNamespace);
    const next: Application = {
      ...current,
      metadata: {
        ...current.metadata,
        labels: incoming.metadata?.labels ?? {},
        annotations: incoming.metadata?.annotations ?? {},
        resourceVersion: this.nextVersion(),
        generation: (current.metadata?.generation ?? 1) + 1,
      },
      spec: structuredClone(incoming.spec ?? {}),
    };
    const refreshed = refresh(next, this.resolve, this.clock.now());
    this.save(refreshed);
    if (isAutoSync(refreshed) && refreshed.status?.sync?.status === "OutOfSync") this.autoSync(refreshed);
    return this.get(current.metadata!.name!, current.metadata!.namespace)!;
  }

  sync(name: string, namespace: string, operation: SyncOperation, username: string, info: Info[] = []): Application {
    const app = this.require(name, namespace);
    if (app.status?.operationState?.phase === "Running") throw new Error("another operation is already in progress");
    this.save(beginSync(app, operation, { username }, this.clock.now(), info));
    this.scheduleCompletion(name, namespace);
    return this.get(name, namespace)!;
  }

  completeSync(name: string, namespace = this.defaultNamespace): Application {
    const app = this.require(name, namespace);
    const outcome = this.outcomes.get(key(name, namespace)) ?? HEALTHY_OUTCOME;
    this.save(finishSync(app, outcome, this.resolve, this.clock.now()));
    return this.get(name, namespace)!;
  }

  scriptSync(name: string, outcome: SyncOutcome, namespace = this.defaultNamespace): void {
    this.require(name, namespace);
    this.outcomes.set(key(name, namespace), outcome);
  }

  setHealth(name: string, status: SyncOutcome["health"], message?: string, namespace = this.defaultNamespace): Application {
    this.save(setHealth(this.require(name, namespace), status, message, this.clock.now()));
    return this.get(name, namespace)!;
  }

  /** A push reached the webhook: apps tracking that branch refresh, and auto-sync ones sync. */
  push(repoURL: string, branch: string, sha: string): string[] {
    this.heads.set(`${normalizeRepoUrl(repoURL)}#${branch}`, sha);
    const touched: string[] = [];
    for (const app of this.apps.values()) {
      const tracks = [app.spec?.source, ...(app.spec?.sources ?? [])].some(
        (source) => source && !source.chart && normalizeRepoUrl(source.repoURL ?? "") === normalizeRepoUrl(repoURL) && trackedBranch(source) === branch,
      );
      if (!tracks) continue;
      const refreshed = refresh(app, this.resolve, this.clock.now());
      this.save(refreshed);
      touched.push(`${refreshed.metadata?.namespace}/${refreshed.metadata?.name}`);
      if (isAutoSync(refreshed) && refreshed.status?.sync?.status === "OutOfSync") this.autoSync(refreshed);
    }
    return touched;
  }

  async close(): Promise<void> {
    this.stopping.abort(new Error("fake Argo CD closed"));
    await Promise.allSettled([...this.pending]);
  }

  /** What Argo CD would compare to: chart versions as written, branches through the pushed heads. */
  readonly resolve = (source: ApplicationSource): string => {
    const target = source.targetRevision ?? "";
    if (source.chart || FULL_SHA.test(target)) return target;
    const head = this.heads.get(`${normalizeRepoUrl(source.repoURL ?? "")}#${trackedBranch(source)}`);
    return head ?? createHash("sha1").update(`${source.repoURL}@${target || "HEAD"}`).digest("hex");
  };

  private autoSync(app: Application): void {
    const name = app.metadata!.name!;
    const namespace = app.metadata!.namespace!;
    const current = this.require(name, namespace);
    if (current.status?.operationState?.phase === "Running") return;
    this.save(beginSync(current, {}, { username: "", automated: true }, this.clock.now()));
    this.scheduleCompletion(name, namespace);
  }

  private scheduleCompletion(name: string, namespace: string): void {
    if (this.syncDelay === "manual") return;
    const task = this.clock
      .sleep(this.syncDelay, this.stopping.signal)
      .then(
        () => {
          if (this.apps.get(key(name, namespace))?.status?.operationState?.phase === "Running") this.completeSync(name, namespace);
        },
        () => undefined,
      )
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  private require(name: string, namespace: string): Application {
    const app = this.apps.get(key(name, namespace));
    if (!app) throw new NotFoundError(name);
    return structuredClone(app);
  }

  private save(app: Application): void {
    this.apps.set(key(app.metadata!.name!, app.metadata!.namespace!), app);
  }

  private nextVersion(): string {
    return String(this.version++);
  }
}

export class NotFoundError extends Error {
  override name = "NotFoundError";
  constructor(readonly appName: string) {
    super(`applications.argoproj.io "${appName}" not found`);
  }
}

function key(name: string, namespace: string): string {
  return `${namespace}/${name}`;
}

function trackedBranch(source: ApplicationSource): string {
  const target = source.targetRevision ?? "";
  return target === "" || target === "HEAD" ? "main" : target.replace(/^refs\/heads\//, "");
}

function defaultResources(name: string, namespace = "default"): ResourceStatus[] {
  return [
    { group: "apps", version: "v1", kind: "Deployment", namespace, name, status: "OutOfSync" },
    { group: "", version: "v1", kind: "Service", namespace, name, status: "OutOfSync" },
  ];
}
