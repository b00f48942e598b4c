export { readManifests, keyOf, MAX_MANIFEST_CHARS, MAX_RESOURCES, type Manifest, type ManifestSet } from "./read-manifests.js";
export { diffManifestSets, diffResource } from "./diff-manifests.js";
export { maskSecretPair } from "./mask-secret-data.js";
export { changesFromArgoCD } from "./changes-from-argocd.js";
export { renderResourceChanges, GITHUB_BODY_LIMIT, type RenderDiffOptions } from "./render-resource-changes.js";
export { findDriftWarnings, renderDriftWarnings, type DriftKind, type DriftWarning } from "./find-drift-warnings.js";
export { renderKustomization } from "./render-kustomization.js";
export { formatResourceKey } from "./resource-key.js";
export type * from "./types.js";
