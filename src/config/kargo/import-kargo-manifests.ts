import { z } from "zod";
import { checkAgainstSchema } from "../check-against-schema.js";
import { diagnosticAt, type Diagnostic } from "../diagnostic.js";
import type { ModelOrigins } from "../model-origins.js";
import type { ParsedDocument } from "../parse-yaml-file.js";
import { translateStageSpec, translateWarehouseSpec, type Finding } from "./translate-deprecated.js";

export const KARGO_API_VERSION = "kargo.akuity.io/v1alpha1";

const EnvelopeSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object({ name: z.string().min(1), namespace: z.string().optional() }).loose(),
  spec: z.unknown().optional(),
});

type Envelope = z.infer<typeof EnvelopeSchema>;

interface Collected {
  projectName?: string;
  namespace?: string;
  promotionPolicies: unknown[];
  /** ProjectConfig's `spec.github` (Stagecoach's own, as on a Stage): the dashboard switch. */
  github?: unknown;
  warehouses: unknown[];
  stages: unknown[];
  promotionTasks: unknown[];
}

interface KindContext {
  doc: ParsedDocument;
  manifest: Envelope;
  collected: Collected;
  origins: ModelOrigins;
  report: (findings: Finding[], prefix: (string | number)[]) => void;
}

const specOf = (manifest: Envelope): Record<string, unknown> => (typeof manifest.spec === "object" && manifest.spec !== null ? structuredClone(manifest.spec as Record<string, unknown>) : {});

/** What each Kargo kind contributes to the model: a table, so a new kind is one row. */
const KINDS: Readonly<Record<string, (c: KindContext) => void>> = {
  Project: ({ doc, manifest, collected, origins, report }) => {
    collected.projectName ??= manifest.metadata.name;
    const spec = specOf(manifest);
    if (Array.isArray(spec.promotionPolicies)) {
      report([{ path: ["promotionPolicies"], severity: "warning", message: "Project.spec.promotionPolicies is deprecated: move them to a ProjectConfig's spec.promotionPolicies" }], ["spec"]);
      spec.promotionPolicies.forEach((policy, i) => {
        origins.add(["config", "promotionPolicies", collected.promotionPolicies.length], doc.locator, ["spec", "promotionPolicies", i]);
        collected.promotionPolicies.push(policy);
      });
    }
  },
  ProjectConfig: ({ doc, manifest, collected, origins }) => {
    const spec = specOf(manifest);
    if (spec.github !== undefined) {
      origins.add(["config", "github"], doc.locator, ["spec", "github"]);
      collected.github = spec.github;
    }
    const policies = Array.isArray(spec.promotionPolicies) ? spec.promotionPolicies : [];
    policies.forEach((policy, i) => {
      origins.add(["config", "promotionPolicies", collected.promotionPolicies.length], doc.locator, ["spec", "promotionPolicies", i]);
      collected.promotionPolicies.push(policy);
    });
  },
  Warehouse: ({ doc, manifest, collected, origins, report }) => {
    const spec = specOf(manifest);
    const at = ["warehouses", collected.warehouses.length, "spec"];
    report(translateWarehouseSpec(spec, (to, from) => origins.add([...at, ...to], doc.locator, ["spec", ...from])), ["spec"]);
    origins.add(["warehouses", collected.warehouses.length], doc.locator, ["metadata"]);
    origins.add(["warehouses", collected.warehouses.length, "spec"], doc.locator, ["spec"]);
    collected.warehouses.push({ name: manifest.metadata.name, spec });
  },
  Stage: ({ doc, manifest, collected, origins, report }) => {
    const spec = specOf(manifest);
    report(translateStageSpec(spec), ["spec"]);
    origins.add(["stages", collected.stages.length], doc.locator, ["metadata"]);
    origins.add(["stages", collected.stages.length, "spec"], doc.locator, ["spec"]);
    collected.stages.push({ name: manifest.metadata.name, spec });
  },
  PromotionTask: (c) => addTask(c, "PromotionTask"),
  ClusterPromotionTask: (c) => addTask(c, "ClusterPromotionTask"),
};

function addTask({ doc, manifest, collected, origins }: KindContext, kind: string): void {
  origins.add(["promotionTasks", collected.promotionTasks.length], doc.locator, ["metadata"]);
  origins.add(["promotionTasks", collected.promotionTasks.length, "spec"], doc.locator, ["spec"]);
  collected.promotionTasks.push({ name: manifest.metadata.name, kind, spec: specOf(manifest) });
}

/** Reads Kargo manifests (any number of files and documents) into the model's shape. */
export function importKargoManifests(documents: ParsedDocument[], origins: ModelOrigins, fallbackName: string): { model: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const collected: Collected = { promotionPolicies: [], warehouses: [], stages: [], promotionTasks: [] };
  for (const doc of documents) {
    const envelope = checkAgainstSchema(EnvelopeSchema, doc.value, (path) => doc.locator.at(path));
    diagnostics.push(...envelope.diagnostics);
    const manifest = envelope.data;
    if (!manifest) continue;
    if (manifest.apiVersion !== KARGO_API_VERSION) {
      diagnostics.push(diagnosticAt(doc.locator.at(["apiVersion"]), "warning", `${manifest.kind} ${manifest.metadata.name}: apiVersion ${manifest.apiVersion} is not ${KARGO_API_VERSION}; document ignored`));
      continue;
    }
    const handle = KINDS[manifest.kind];
    if (!handle) {
      diagnostics.push(diagnosticAt(doc.locator.at(["kind"]), "warning", `kind ${manifest.kind} is not read from files (Stagecoach reads ${Object.keys(KINDS).join(", ")}); document ignored`));
      continue;
    }
    collected.namespace ??= manifest.metadata.namespace;
    const report = (findings: Finding[], prefix: (string | number)[]) => {
      for (const f of findings) diagnostics.push(diagnosticAt(doc.locator.at([...prefix, ...f.path]), f.severity, `${manifest.kind} ${manifest.metadata.name}: ${f.message}`));
    };
    handle({ doc, manifest, collected, origins, report });
  }
  const { promotionPolicies, github, warehouses, stages, promotionTasks } = collected;
  return {
    model: { name: collected.projectName ?? collected.namespace ?? fallbackName, config: { promotionPolicies, ...(github !== undefined ? { github } : {}) }, warehouses, stages, promotionTasks },
    diagnostics,
  };
}
