import type { PromotionStep } from "../model/promotion-step.js";
import type { KustomizeShortForm, YamlShortForm } from "./native-schema.js";

export interface ShortFormTarget {
  repoURL: string;
  targetBranch: string;
  pullRequest: boolean;
  argocdApps: string[];
}

const CHECKOUT = "./out";
const within = (path: string) => `${CHECKOUT}/${path.replace(/^\.?\/+/, "").replace(/\/+$/, "")}`;
const quoted = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The edit each short form stands for: one step, aliased `update`, with a commitMessage output. */
const EDITS = {
  kustomize: (form: KustomizeShortForm): PromotionStep => ({
    uses: "kustomize-set-image",
    as: "update",
    config: { path: within(form.path), images: (form.images ?? (form.image ? [form.image] : [])).map((image) => ({ image })) },
  }),
  yaml: (form: YamlShortForm): PromotionStep => ({
    uses: "yaml-update",
    as: "update",
    config: { path: within(form.path), updates: [{ key: form.key, value: `\${{ quote(imageFrom(${quoted(form.image)}).${form.value}) }}` }] },
  }),
};

export type ShortForm = { kind: "kustomize"; form: KustomizeShortForm } | { kind: "yaml"; form: YamlShortForm };

/**
 * The full Kargo step list a short form means: clone the target branch, make the edit, commit,
 * then either open a pull request and wait for its merge or push straight to the branch, and
 * finally point the named Argo CD Applications at the resulting commit and wait until they are
 * Synced and Healthy there.
 */
export function expandShortForm(shortForm: ShortForm, target: ShortFormTarget): PromotionStep[] {
  const edit = shortForm.kind === "kustomize" ? EDITS.kustomize(shortForm.form) : EDITS.yaml(shortForm.form);
  const steps: PromotionStep[] = [
    { uses: "git-clone", config: { repoURL: target.repoURL, checkout: [{ branch: target.targetBranch, path: CHECKOUT }] } },
    edit,
    { uses: "git-commit", config: { path: CHECKOUT, message: "${{ outputs.update.commitMessage }}" } },
  ];
  if (target.pullRequest) {
    steps.push(
      { uses: "git-push", as: "push", config: { path: CHECKOUT, generateTargetBranch: true } },
      { uses: "git-open-pr", as: "open-pr", config: { repoURL: target.repoURL, sourceBranch: "${{ outputs.push.branch }}", targetBranch: target.targetBranch } },
      { uses: "git-wait-for-pr", as: "wait-for-pr", config: { repoURL: target.repoURL, prNumber: "${{ outputs['open-pr'].pr.id }}" } },
    );
  } else {
    steps.push({ uses: "git-push", as: "push", config: { path: CHECKOUT, targetBranch: target.targetBranch } });
  }
  if (target.argocdApps.length > 0) {
    const revision = target.pullRequest ? "${{ outputs['wait-for-pr'].commit }}" : "${{ outputs.push.commit }}";
    steps.push(
      {
        uses: "argocd-update",
        config: { apps: target.argocdApps.map((name) => ({ name, sources: [{ repoURL: target.repoURL, desiredRevision: revision }] })) },
      },
      // Verification starts once the stage runs the change: Synced and Healthy at the promoted revision.
      { uses: "argocd-wait" },
    );
  }
  return steps;
}
