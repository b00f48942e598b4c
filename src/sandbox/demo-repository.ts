/** The GitOps repository the demo (and its test) starts from: one folder per environment. */
const kustomization = (env: string) =>
  `resources:\n  - deployment.yaml\nnamePrefix: ${env}-\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n`;
const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app\n";

export const DEMO_REPOSITORY_FILES: Record<string, string> = {
  "README.md": "# acme/gitops\n\nOne folder per environment; Argo CD syncs each from main.\n",
  ...Object.fromEntries(["dev", "uat", "prod"].flatMap((env) => [[`env/${env}/kustomization.yaml`, kustomization(env)], [`env/${env}/deployment.yaml`, deployment]])),
};

export const DEMO_CONFIG = `# dev -> uat -> prod for one image, in Stagecoach's short form.
project: guestbook
repoURL: https://github.com/acme/gitops
warehouses:
  - name: app
    subscriptions:
      - image: { repoURL: ghcr.io/acme/app, constraint: ^1.0.0 }
stages:
  - name: dev
    from: app
    autoPromote: true
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
  - name: uat
    from: dev
    kustomize: { path: env/uat, image: ghcr.io/acme/app }
  - name: prod
    from: uat
    soak: 1h
    kustomize: { path: env/prod, image: ghcr.io/acme/app }
`;
