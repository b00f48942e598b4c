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
import type { StepDefinition } from "./step.js";
import { tomlParse } from "./toml-parse.js";
import { tomlUpdate } from "./toml-update.js";
import { yamlMerge } from "./yaml-merge.js";
import { yamlParse } from "./yaml-parse.js";
import { yamlUpdate } from "./yaml-update.js";

/** Every built-in step by its `uses:` name. Adding a step is adding a file and a row. */
export const STEPS: Readonly<Record<string, StepDefinition>> = {
  "git-clone": gitClone,
  "git-clear": gitClear,
  "git-commit": gitCommit,
  "git-push": gitPush,
  "git-tag": gitTag,
  "git-open-pr": gitOpenPr,
  "git-wait-for-pr": gitWaitForPr,
  "git-merge-pr": gitMergePr,
  "kustomize-set-image": kustomizeSetImage,
  "kustomize-build": kustomizeBuild,
  "helm-template": helmTemplate,
  "helm-update-image": helmUpdateImage,
  "helm-update-chart": helmUpdateChart,
  "yaml-update": yamlUpdate,
  "yaml-parse": yamlParse,
  "yaml-merge": yamlMerge,
  "json-update": jsonUpdate,
  "json-parse": jsonParse,
  "toml-update": tomlUpdate,
  "toml-parse": tomlParse,
  copy,
  delete: deletePath,
  "file-write": fileWrite,
  http,
  "compose-output": composeOutput,
  "set-metadata": setMetadata,
  "set-freight-alias": setFreightAlias,
  "argocd-update": argocdUpdate,
  "argocd-wait": argocdWait,
  fail,
} as Record<string, StepDefinition>;
