import { stringify } from "yaml";
import type { DataPath } from "../diagnostic.js";

export interface Finding {
  path: DataPath;
  severity: "error" | "warning";
  message: string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Says that the value now at `to` (in the translated spec) was written at `from`, so messages point there. */
export type MovedValue = (to: DataPath, from: DataPath) => void;

/** Old image subscription fields → current ones (Kargo still reads both). Mutates `spec`. */
export function translateWarehouseSpec(spec: unknown, moved: MovedValue = () => {}): Finding[] {
  const findings: Finding[] = [];
  if (!isObject(spec) || !Array.isArray(spec.subscriptions)) return findings;
  spec.subscriptions.forEach((subscription, index) => {
    const image = isObject(subscription) ? subscription.image : undefined;
    if (!isObject(image)) return;
    const at = (...field: (string | number)[]) => ["subscriptions", index, "image", ...field];
    if (image.semverConstraint !== undefined) {
      findings.push({ path: at("semverConstraint"), severity: "warning", message: "image.semverConstraint is deprecated: use constraint (same meaning)" });
      image.constraint ??= image.semverConstraint;
      delete image.semverConstraint;
    }
    if (image.allowTags !== undefined) {
      findings.push({ path: at("allowTags"), severity: "warning", message: "image.allowTags is deprecated: use allowTagsRegexes (a list of regular expressions)" });
      const regexes = (image.allowTagsRegexes as unknown[]) ?? [];
      moved(at("allowTagsRegexes", regexes.length), at("allowTags"));
      image.allowTagsRegexes = [...regexes, image.allowTags];
      delete image.allowTags;
    }
    if (image.ignoreTags !== undefined) {
      findings.push({ path: at("ignoreTags"), severity: "warning", message: "image.ignoreTags is deprecated: use ignoreTagsRegexes (each tag becomes ^tag$)" });
      const tags = Array.isArray(image.ignoreTags) ? image.ignoreTags : [image.ignoreTags];
      const regexes = (image.ignoreTagsRegexes as unknown[]) ?? [];
      tags.forEach((_tag, i) => moved(at("ignoreTagsRegexes", regexes.length + i), Array.isArray(image.ignoreTags) ? at("ignoreTags", i) : at("ignoreTags")));
      image.ignoreTagsRegexes = [...regexes, ...tags.map((t) => `^${escapeRegex(String(t))}$`)];
      delete image.ignoreTags;
    }
  });
  return findings;
}

/**
 * Kargo's pre-1.0 stage form. `subscriptions.warehouse` is translated; upstream stages and
 * `promotionMechanisms` are refused with the equivalent to paste in, because their meaning
 * depends on fields (write branches, app namespaces) that are safer written out by the user.
 */
export function translateStageSpec(spec: unknown): Finding[] {
  const findings: Finding[] = [];
  if (!isObject(spec)) return findings;
  const subscriptions = spec.subscriptions;
  if (isObject(subscriptions)) {
    if (typeof subscriptions.warehouse === "string") {
      const requested = [{ origin: { kind: "Warehouse", name: subscriptions.warehouse }, sources: { direct: true } }];
      findings.push({ path: ["subscriptions"], severity: "warning", message: `subscriptions is Kargo's pre-1.0 form: use requestedFreight instead:\n${stringify({ requestedFreight: requested })}` });
      spec.requestedFreight ??= requested;
    }
    if (Array.isArray(subscriptions.upstreamStages)) {
      const names = subscriptions.upstreamStages.map((s) => (isObject(s) ? s.name : s));
      const equivalent = { requestedFreight: [{ origin: { kind: "Warehouse", name: "<warehouse of the upstream stages>" }, sources: { stages: names } }] };
      findings.push({ path: ["subscriptions", "upstreamStages"], severity: "error", message: `subscriptions.upstreamStages is Kargo's pre-1.0 form and is not read: write requestedFreight instead:\n${stringify(equivalent)}` });
    }
    delete spec.subscriptions;
  }
  if (spec.promotionMechanisms !== undefined) {
    findings.push({
      path: ["promotionMechanisms"],
      severity: "error",
      message: `promotionMechanisms is Kargo's pre-1.0 form and is not read: write promotionTemplate steps instead, e.g.:\n${stringify({ promotionTemplate: { spec: { steps: stepsFor(spec.promotionMechanisms) } } })}`,
    });
    delete spec.promotionMechanisms;
  }
  return findings;
}

interface OldGitUpdate {
  repoURL?: string;
  writeBranch?: string;
  kustomize?: { images?: { image?: string; path?: string }[] };
  helm?: { images?: { image?: string; valuesFilePath?: string; key?: string; value?: string }[] };
}

function stepsFor(mechanisms: unknown): unknown[] {
  const m = (isObject(mechanisms) ? mechanisms : {}) as { gitRepoUpdates?: OldGitUpdate[]; argoCDAppUpdates?: { appName?: string; appNamespace?: string }[] };
  const steps: unknown[] = [];
  for (const update of m.gitRepoUpdates ?? []) {
    const branch = update.writeBranch ?? "main";
    steps.push({ uses: "git-clone", config: { repoURL: update.repoURL, checkout: [{ branch, path: "./out" }] } });
    for (const image of update.kustomize?.images ?? []) steps.push({ uses: "kustomize-set-image", config: { path: `./out/${image.path ?? "."}`, images: [{ image: image.image }] } });
    for (const image of update.helm?.images ?? []) {
      const part = image.value === "Digest" ? "Digest" : "Tag";
      steps.push({ uses: "yaml-update", config: { path: `./out/${image.valuesFilePath ?? "values.yaml"}`, updates: [{ key: image.key, value: `\${{ quote(imageFrom('${image.image ?? ""}').${part}) }}` }] } });
    }
    steps.push({ uses: "git-commit", config: { path: "./out", message: "Promote ${{ ctx.targetFreight.name }}" } }, { uses: "git-push", config: { path: "./out", targetBranch: branch } });
  }
  const apps = (m.argoCDAppUpdates ?? []).map((a) => ({ name: a.appName, ...(a.appNamespace ? { namespace: a.appNamespace } : {}) }));
  if (apps.length) steps.push({ uses: "argocd-update", config: { apps } });
  return steps;
}
