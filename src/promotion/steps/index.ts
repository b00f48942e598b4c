import type { StepDefinition } from "../step-definition.js";
import { argocdUpdate } from "./argocd-update.js";
import { argocdWait } from "./argocd-wait.js";
import { composeOutput } from "./compose-output.js";
import { copy } from "./copy.js";
import { deletePath } from "./delete.js";
import { fail } from "./fail.js";
import { fileWrite } from "./file-write.js";
import { gitClear } from "./git-clear.js";
import { gitClone } from "./git-clone.js";
import { gitCommit } from "./git-commit.js";
import { gitMergePr } from "./git-merge-pr.js";
import { gitOpenPr } from "./git-open-pr.js";
import { gitPush } from "./git-push.js";
import { gitTag } from "./git-tag.js";
import { gitWaitForPr } from "./git-wait-for-pr.js";
import { helmTemplate } from "./helm-template.js";
import { helmUpdateChart } from "./helm-update-chart.js";
import { helmUpdateImage } from "./helm-update-image.js";
import { http } from "./http.js";
import { jsonParse } from "./json-parse.js";
import { jsonUpdate } from "./json-update.js";
import { kustomizeBuild } from "./kustomize-build.js";
import { kustomizeSetImage } from "./kustomize-set-image.js";
import { setFreightAlias } from "./set-freight-alias.js";
import { setMetadata } from "./set-metadata.js";
import { tomlParse } from "./toml-parse.js";
import { tomlUpdate } from "./toml-update.js";
import { yamlMerge } from "./yaml-merge.js";
import { yamlParse } from "./yaml-parse.js";
import { yamlUpdate } from "./yaml-update.js";

/**
 * Every built-in step. A step is one file named after its `uses:` (which it states itself) and
 * one entry here; this list is the only one: the runner, `stagecoach validate` and the
 * `stagecoach/config` check run all read it.
 */
const DEFINITIONS: readonly StepDefinition[] = [
  gitClone,
  gitClear,
  gitCommit,
  gitPush,
  gitTag,
  gitOpenPr,
  gitWaitForPr,
  gitMergePr,
  kustomizeSetImage,
  kustomizeBuild,
  helmTemplate,
  helmUpdateImage,
  helmUpdateChart,
  yamlUpdate,
  yamlParse,
  yamlMerge,
  jsonUpdate,
  jsonParse,
  tomlUpdate,
  tomlParse,
  copy,
  deletePath,
  fileWrite,
  http,
  composeOutput,
  setMetadata,
  setFreightAlias,
  argocdUpdate,
  argocdWait,
  fail,
];

/** Every built-in step by its `uses:` name. */
export const STEPS: Readonly<Record<string, StepDefinition>> = tableOf(DEFINITIONS);

function tableOf(definitions: readonly StepDefinition[]): Record<string, StepDefinition> {
  // No prototype: a `uses:` such as "constructor" finds no step rather than Object's.
  const table = Object.create(null) as Record<string, StepDefinition>;
  for (const definition of definitions) {
    // Two files claiming one name would make one of them unreachable; stop at load instead.
    if (Object.hasOwn(table, definition.uses)) throw new Error(`two step definitions say uses: "${definition.uses}"; rename one of them`);
    table[definition.uses] = definition;
  }
  return table;
}
