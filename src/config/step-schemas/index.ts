import type { z } from "zod";
import { ARGOCD_STEP_SCHEMAS } from "./argocd-steps.js";
import { FILE_STEP_SCHEMAS } from "./file-steps.js";
import { GIT_STEP_SCHEMAS } from "./git-steps.js";
import { MANIFEST_STEP_SCHEMAS } from "./manifest-steps.js";
import { METADATA_STEP_SCHEMAS } from "./metadata-steps.js";
import { NETWORK_STEP_SCHEMAS } from "./network-steps.js";

/**
 * The `config` of every built-in step as written in a pipeline file (Kargo's field names),
 * keyed by `uses:`. Values that the engine needs as booleans or numbers may still be `${{ }}`
 * strings here; the engine checks the evaluated config against its own schema at run time.
 */
export const STEP_CONFIG_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ...GIT_STEP_SCHEMAS,
  ...MANIFEST_STEP_SCHEMAS,
  ...FILE_STEP_SCHEMAS,
  ...NETWORK_STEP_SCHEMAS,
  ...ARGOCD_STEP_SCHEMAS,
  ...METADATA_STEP_SCHEMAS,
};

/** Steps Kargo still runs but has replaced, with what to use instead. */
export const DEPRECATED_STEPS: Readonly<Record<string, string>> = {
  "helm-update-image": "yaml-update (set the values key to ${{ imageFrom('<repoURL>').Tag }})",
};

export const KNOWN_STEP_NAMES: readonly string[] = Object.keys(STEP_CONFIG_SCHEMAS).sort();
