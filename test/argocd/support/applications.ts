import type { Application } from "../../../src/argocd/types.js";

/** A single-source Git Application as `argocd app create` would make it. */
export function gitApp(name: string, overrides: { annotations?: Record<string, string>; labels?: Record<string, string>; autoSync?: boolean; targetRevision?: string } = {}): Application {
  return {
    metadata: { name, namespace: "argocd", annotations: overrides.annotations ?? {}, labels: overrides.labels ?? {} },
    spec: {
      project: "default",
      source: { repoURL: "https://github.com/acme/gitops.git", path: `env/${name}`, targetRevision: overrides.targetRevision ?? "main" },
      destination: { server: "https://kubernetes.default.svc", namespace: name },
      ...(overrides.autoSync ? { syncPolicy: { automated: { prune: true, selfHeal: true } } } : {}),
    },
  };
}

/** A multi-source Application: a Helm chart from a chart repo plus values from Git. */
export function multiSourceApp(name: string, annotations: Record<string, string> = {}): Application {
  return {
    metadata: { name, namespace: "argocd", annotations },
    spec: {
      project: "default",
      sources: [
        { repoURL: "https://charts.acme.dev", chart: "web", targetRevision: "1.0.0", helm: { valueFiles: ["$values/web/values.yaml"] } },
        { repoURL: "https://github.com/acme/gitops.git", targetRevision: "main", ref: "values" },
      ],
      destination: { server: "https://kubernetes.default.svc", namespace: name },
    },
  };
}
