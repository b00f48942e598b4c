/**
 * The GitOps repository the demo (and its test) starts from: one folder per environment, all
 * running `image` (the demo's local registry, e.g. 127.0.0.1:40123/acme/app) at 1.0.0.
 */
const kustomization = (env: string, image: string) =>
  `resources:\n  - deployment.yaml\nnamePrefix: ${env}-\nimages:\n  - name: ${image}\n    newTag: 1.0.0\n`;
const deployment = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;

export function demoRepositoryFiles(image: string): Record<string, string> {
  return {
    "README.md": "# acme/gitops\n\nOne folder per environment; Argo CD syncs each from main.\n",
    ...Object.fromEntries(["dev", "uat", "prod"].flatMap((env) => [[`env/${env}/kustomization.yaml`, kustomization(env, image)], [`env/${env}/deployment.yaml`, deployment(image)]])),
  };
}

export const demoConfig = (image: string) => `# dev -> uat -> prod for one image, in Stagecoach's short form.
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
  - name: uat
    from: dev
    kustomize: { path: env/uat, image: ${image} }
    github: { requiredApprovals: 1, autoMerge: true }
  - name: prod
    from: uat
    kustomize: { path: env/prod, image: ${image} }
    github: { requiredApprovals: 1, promoters: [carol], labels: [production] }
`;
