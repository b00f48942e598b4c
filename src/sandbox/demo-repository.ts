import type { Application } from "../argocd/types.js";

/**
 * The GitOps repository the demo (and its test) starts from: one folder per environment, all
 * running `image` (the demo's local registry, e.g. 127.0.0.1:40123/acme/app) at 1.0.0, and the
 * smoke-test workflow uat is verified with.
 */
const kustomization = (env: string, image: string) =>
  `resources:\n  - deployment.yaml\nnamePrefix: ${env}-\nimages:\n  - name: ${image}\n    newTag: 1.0.0\n`;
const deployment = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;
const SMOKE_WORKFLOW = `name: Smoke test
on:
  workflow_dispatch:
    inputs:
      stage: { required: true }
      freight: { required: true }
      commit: { required: true }
jobs:
  smoke:
    runs-on: ubuntu-latest
    steps:
      - run: curl --fail https://\${{ inputs.stage }}.guestbook.example.com/healthz
`;

export const DEMO_STAGES = ["dev", "uat", "prod"] as const;

export function demoRepositoryFiles(image: string): Record<string, string> {
  return {
    "README.md": "# acme/gitops\n\nOne folder per environment; Argo CD syncs each from main.\n",
    ".github/workflows/smoke.yml": SMOKE_WORKFLOW,
    ...Object.fromEntries(DEMO_STAGES.flatMap((env) => [[`env/${env}/kustomization.yaml`, kustomization(env, image)], [`env/${env}/deployment.yaml`, deployment(image)]])),
  };
}

/** The Argo CD Application of one environment, as `argocd app create` would make it, allowed to be updated by that stage. */
export function demoApplication(env: string): Application {
  return {
    metadata: { name: `guestbook-${env}`, namespace: "argocd", annotations: { "kargo.akuity.io/authorized-stage": `guestbook:${env}` }, labels: {} },
    spec: {
      project: "default",
      source: { repoURL: "https://github.com/acme/gitops.git", path: `env/${env}`, targetRevision: "main" },
      destination: { server: "https://kubernetes.default.svc", namespace: `guestbook-${env}` },
    },
  };
}

export const demoConfig = (image: string, healthUrl: string) => `# dev -> uat -> prod for one image, in Stagecoach's short form.
project: guestbook
repoURL: https://github.com/acme/gitops
warehouses:
  - name: app
    subscriptions:
      - image: { repoURL: ${image}, constraint: ^1.0.0 }
stages:
  - name: dev
    from: app
    autoPromote: true
    kustomize: { path: env/dev, image: ${image} }
    argocd: guestbook-dev
    github:
      requiredApprovals: 1
      autoMerge: true
      verify:
        http: [{ url: "${healthUrl}", bodyContains: ok }]
  - name: uat
    from: dev
    kustomize: { path: env/uat, image: ${image} }
    argocd: guestbook-uat
    github:
      autoMerge: true
      verify: { workflow: smoke.yml }
  - name: prod
    from: uat
    kustomize: { path: env/prod, image: ${image} }
    argocd: guestbook-prod
    github: { requiredApprovals: 1, promoters: [carol], labels: [production] }
`;
