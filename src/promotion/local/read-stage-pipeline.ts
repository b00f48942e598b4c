import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { PromotionStepSpec, PromotionTaskSpec, PromotionVar } from "../types.js";

/** One stage's promotion steps as the local runner needs them. */
export interface StagePipeline {
  project: string;
  stage: string;
  warehouse: string;
  steps: PromotionStepSpec[];
  vars: PromotionVar[];
  tasks: Record<string, PromotionTaskSpec>;
}

interface Doc {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
  stages?: unknown;
  project?: string;
  promotionTasks?: unknown;
}

/**
 * Reads a stage's steps from Kargo manifests (a file or a directory of them: Stage,
 * PromotionTask, ClusterPromotionTask, Project) or from a Stagecoach file with a `stages:` list
 * using the same field names.
 */
export async function readStagePipeline(configPath: string, stageName: string): Promise<StagePipeline> {
  const docs = await readDocs(configPath);
  const stages = new Map<string, Record<string, unknown>>();
  const tasks: Record<string, PromotionTaskSpec> = {};
  let project: string | undefined;
  for (const { doc, file } of docs) {
    if (doc.kind === "Stage" && doc.metadata?.name) {
      stages.set(doc.metadata.name, doc.spec ?? {});
      project ??= doc.metadata.namespace;
    } else if ((doc.kind === "PromotionTask" || doc.kind === "ClusterPromotionTask") && doc.metadata?.name) {
      tasks[doc.metadata.name] = { name: doc.metadata.name, vars: asArray(doc.spec?.vars, file) as PromotionVar[], steps: asArray(doc.spec?.steps, file) as PromotionStepSpec[] };
    } else if (doc.kind === "Project" && doc.metadata?.name) {
      project = doc.metadata.name;
    } else if (Array.isArray(doc.stages)) {
      project ??= doc.project;
      for (const stage of doc.stages as Record<string, unknown>[]) {
        if (typeof stage.name === "string") stages.set(stage.name, (stage.spec as Record<string, unknown> | undefined) ?? stage);
      }
      for (const task of asArray(doc.promotionTasks, file) as PromotionTaskSpec[]) tasks[task.name] = task;
    }
  }
  const spec = stages.get(stageName);
  if (!spec) {
    const known = [...stages.keys()];
    throw new Error(`${configPath} has no stage "${stageName}"${known.length ? `; stages: ${known.join(", ")}` : " (no Stage manifests or stages: list found)"}`);
  }
  const template = ((spec.promotionTemplate as { spec?: Record<string, unknown> } | undefined)?.spec ?? spec) as Record<string, unknown>;
  const requested = asArray(spec.requestedFreight, configPath) as { origin?: { name?: string } }[];
  return {
    project: project ?? "local",
    stage: stageName,
    warehouse: requested[0]?.origin?.name ?? "local",
    steps: asArray(template.steps, `${configPath} stage ${stageName} steps`) as PromotionStepSpec[],
    vars: [...(asArray(spec.vars, configPath) as PromotionVar[]), ...(template === spec ? [] : (asArray(template.vars, configPath) as PromotionVar[]))],
    tasks,
  };
}

async function readDocs(configPath: string): Promise<{ doc: Doc; file: string }[]> {
  const info = await stat(configPath).catch(() => {
    throw new Error(`--config ${configPath} does not exist; point it at a Kargo manifest file or directory, or a stagecoach.yml`);
  });
  const files = info.isDirectory() ? await yamlFilesUnder(configPath) : [configPath];
  const out: { doc: Doc; file: string }[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    for (const document of parseAllDocuments(text)) {
      const [error] = document.errors;
      if (error) {
        const where = error.linePos?.[0] ? `:${error.linePos[0].line}:${error.linePos[0].col}` : "";
        throw new Error(`${file}${where} is not valid YAML: ${error.message.split("\n")[0]}`);
      }
      const doc = document.toJS() as unknown;
      if (doc && typeof doc === "object") out.push({ doc: doc as Doc, file });
    }
  }
  return out;
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function asArray(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${typeof value}`);
  return value;
}
