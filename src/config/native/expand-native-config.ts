import { diagnosticAt, type Diagnostic, type SourceLocator } from "../diagnostic.js";
import type { RequestedFreight } from "../model/stage.js";
import type { ModelOrigins } from "../model-origins.js";
import { listKnown, suggestName } from "../../text/suggest-name.js";
import { expandShortForm, type ShortForm } from "./expand-short-form.js";
import type { NativeConfig, NativeStage } from "./native-schema.js";

export interface ExpandOptions {
  projectName: string;
  /** The GitOps repository the short forms clone and push to. */
  repoURL?: string;
  defaultBranch: string;
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Turns the native file into the model's shape (Kargo field names): `from:` becomes
 * requestedFreight, short forms become steps, `autoPromote:` becomes a promotion policy.
 * Records where every part came from so later messages point into the native file.
 */
export function expandNativeConfig(native: NativeConfig, locator: SourceLocator, origins: ModelOrigins, options: ExpandOptions): { model: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (path: (string | number)[], message: string) => diagnostics.push(diagnosticAt(locator.at(path), "error", message));
  const warehouseNames = new Set(native.warehouses.map((w) => w.name));
  const stagesByName = new Map(native.stages.map((s, index) => [s.name, { stage: s, index }]));

  const originsOf = memoOrigins(warehouseNames, stagesByName);
  const knownSources = [...warehouseNames, ...stagesByName.keys()];

  const warehouses = native.warehouses.map(({ name, ...spec }, index) => {
    origins.add(["warehouses", index], locator, ["warehouses", index]);
    origins.add(["warehouses", index, "spec"], locator, ["warehouses", index]);
    return { name, spec };
  });

  const policies: unknown[] = [...(native.promotionPolicies ?? [])];
  if (native.promotionPolicies) origins.add(["config", "promotionPolicies"], locator, ["promotionPolicies"]);
  if (native.dashboard !== undefined) origins.add(["config", "github", "dashboard"], locator, ["dashboard"]);

  const stages = native.stages.map((stage, index) => {
    origins.add(["stages", index], locator, ["stages", index]);
    origins.add(["stages", index, "spec"], locator, ["stages", index]);
    const spec: Record<string, unknown> = {};
    if (stage.requestedFreight) {
      spec.requestedFreight = stage.requestedFreight;
      origins.add(["stages", index, "spec", "requestedFreight"], locator, ["stages", index, "requestedFreight"]);
    } else {
      spec.requestedFreight = freightFrom(stage, index, { warehouses: warehouseNames, stages: stagesByName, known: knownSources }, originsOf, error);
      origins.add(["stages", index, "spec", "requestedFreight"], locator, ["stages", index, "from"]);
    }
    if (stage.vars) spec.vars = stage.vars;
    if (stage.verification) spec.verification = stage.verification;
    if (stage.github) spec.github = stage.github;
    const shortForm: ShortForm | undefined = stage.kustomize ? { kind: "kustomize", form: stage.kustomize } : stage.yaml ? { kind: "yaml", form: stage.yaml } : undefined;
    if (shortForm) {
      const repoURL = native.repoURL ?? options.repoURL;
      if (!repoURL) error(["stages", index, shortForm.kind], `${shortForm.kind}: the short form needs the GitOps repository's URL: add repoURL: https://github.com/<owner>/<repo> at the top of the file`);
      spec.promotionTemplate = {
        spec: {
          steps: expandShortForm(shortForm, {
            repoURL: repoURL ?? "",
            targetBranch: stage.github?.targetBranch ?? options.defaultBranch,
            pullRequest: stage.github?.pullRequest ?? true,
            argocdApps: asList(stage.argocd),
          }),
        },
      };
      origins.add(["stages", index, "spec", "promotionTemplate"], locator, ["stages", index, shortForm.kind]);
    } else if (stage.steps) {
      spec.promotionTemplate = { spec: { steps: stage.steps } };
      origins.add(["stages", index, "spec", "promotionTemplate", "spec", "steps"], locator, ["stages", index, "steps"]);
    } else if (stage.promotionTemplate) {
      spec.promotionTemplate = stage.promotionTemplate;
    }
    if (stage.autoPromote !== undefined) {
      origins.add(["config", "promotionPolicies", policies.length], locator, ["stages", index, "autoPromote"]);
      policies.push({ stage: stage.name, autoPromotionEnabled: stage.autoPromote });
    }
    return { name: stage.name, spec };
  });

  const promotionTasks = native.promotionTasks.map(({ name, kind, ...spec }, index) => {
    origins.add(["promotionTasks", index], locator, ["promotionTasks", index]);
    origins.add(["promotionTasks", index, "spec"], locator, ["promotionTasks", index]);
    return { name, kind: kind ?? "PromotionTask", spec };
  });

  return {
    model: { name: native.project ?? options.projectName, config: { promotionPolicies: policies, ...(native.dashboard !== undefined ? { github: { dashboard: native.dashboard } } : {}) }, warehouses, stages, promotionTasks },
    diagnostics,
  };
}

type StageIndex = Map<string, { stage: NativeStage; index: number }>;

/** The warehouses whose freight reaches a stage, following `from:` upstream (cycles stop the walk). */
function memoOrigins(warehouses: Set<string>, byName: StageIndex): (name: string) => string[] {
  const memo = new Map<string, string[]>();
  const visiting = new Set<string>();
  const originsOf = (name: string): string[] => {
    const known = memo.get(name);
    if (known) return known;
    const entry = byName.get(name);
    if (!entry || visiting.has(name)) return [];
    visiting.add(name);
    const { stage } = entry;
    const found = stage.requestedFreight
      ? stage.requestedFreight.map((r) => r.origin.name)
      : asList(stage.from).flatMap((source) => (warehouses.has(source) ? [source] : originsOf(source)));
    visiting.delete(name);
    const unique = [...new Set(found)];
    memo.set(name, unique);
    return unique;
  };
  return originsOf;
}

function freightFrom(
  stage: NativeStage,
  index: number,
  { warehouses, stages, known }: { warehouses: Set<string>; stages: StageIndex; known: string[] },
  originsOf: (name: string) => string[],
  error: (path: (string | number)[], message: string) => void,
): RequestedFreight[] {
  const byOrigin = new Map<string, RequestedFreight>();
  const entryFor = (origin: string) => {
    let entry = byOrigin.get(origin);
    if (!entry) {
      entry = { origin: { kind: "Warehouse", name: origin }, sources: {} };
      byOrigin.set(origin, entry);
    }
    return entry;
  };
  const sources = asList(stage.from);
  sources.forEach((source, position) => {
    const path = Array.isArray(stage.from) ? ["stages", index, "from", position] : ["stages", index, "from"];
    if (warehouses.has(source) && stages.has(source)) {
      error(path, `from: "${source}" is both a warehouse and a stage; rename one, or use requestedFreight: to say which`);
      return;
    }
    if (warehouses.has(source)) {
      entryFor(source).sources.direct = true;
      return;
    }
    if (!stages.has(source)) {
      error(path, `from: "${source}" is neither a warehouse nor a stage${suggestName(source, known)}${listKnown("warehouses and stages", known)}`);
      // Keep the stage in the model (as if it were a warehouse) so the rest of the file is still checked.
      entryFor(source).sources.direct = true;
      return;
    }
    const carried = originsOf(source);
    if (carried.length === 0) {
      error(path, `from: no warehouse's freight reaches "${source}" (its from: is broken, or the stages loop back on each other): fix "${source}" first`);
      entryFor(source).sources.stages = [source];
    }
    for (const origin of carried) {
      const entry = entryFor(origin);
      entry.sources.stages = [...(entry.sources.stages ?? []), source];
    }
  });
  for (const entry of byOrigin.values()) {
    if (entry.sources.stages && stage.soak) entry.sources.requiredSoakTime = stage.soak;
    if (entry.sources.stages && stage.availability) entry.sources.availabilityStrategy = stage.availability;
    if (stage.selectionPolicy) entry.sources.autoPromotionOptions = { selectionPolicy: stage.selectionPolicy };
  }
  return [...byOrigin.values()];
}
