/**
 * Config validation figures: a generated pipeline of 500 stages and 50 warehouses, in the native
 * short form and as Kargo manifests, validated end to end (parse, translate, schema, graph, steps,
 * expressions). Prints medians; asserts nothing. Run: node --import tsx bench/validate-config.ts
 */
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { validateProject, type Project } from "../src/config/index.js";

const WAREHOUSES = 50;
const STAGES_PER_WAREHOUSE = 10;
const RUNS = 15;

function nativeText(): string {
  const lines = ["repoURL: https://github.com/acme/gitops", "warehouses:"];
  for (let w = 0; w < WAREHOUSES; w += 1) lines.push(`  - name: app-${w}`, "    subscriptions:", `      - image: { repoURL: ghcr.io/acme/app-${w}, constraint: ^1.0.0 }`);
  lines.push("stages:");
  for (let w = 0; w < WAREHOUSES; w += 1) {
    for (let s = 0; s < STAGES_PER_WAREHOUSE; s += 1) {
      lines.push(`  - name: app-${w}-env-${s}`, `    from: ${s === 0 ? `app-${w}` : `app-${w}-env-${s - 1}`}`, `    kustomize: { path: env/${w}/${s}, image: ghcr.io/acme/app-${w} }`);
      if (s === STAGES_PER_WAREHOUSE - 1) lines.push("    github: { requiredApprovals: 2, teamReviewers: [platform] }");
    }
  }
  return `${lines.join("\n")}\n`;
}

// Kargo users share steps through a PromotionTask; each stage passes its path and image as vars.
function kargoText(project: Project): string {
  const meta = (name: string) => ({ name, namespace: project.name });
  const steps = project.stages[0]?.spec.promotionTemplate?.spec.steps ?? [];
  const task = {
    apiVersion: "kargo.akuity.io/v1alpha1",
    kind: "PromotionTask",
    metadata: meta("bump-image"),
    spec: {
      vars: [{ name: "path" }, { name: "image" }],
      steps: JSON.parse(JSON.stringify(steps).replace(/"\.\/out\/env\/0\/0"/g, '"${{ vars.path }}"').replace(/"ghcr\.io\/acme\/app-0"/g, '"${{ vars.image }}"').replace(/outputs\./g, "task.outputs.").replace(/outputs\[/g, "task.outputs[")),
    },
  };
  const docs = [
    task,
    ...project.warehouses.map((w) => ({ apiVersion: "kargo.akuity.io/v1alpha1", kind: "Warehouse", metadata: meta(w.name), spec: w.spec })),
    ...project.stages.map((s, i) => {
      const image = `ghcr.io/acme/app-${Math.floor(i / STAGES_PER_WAREHOUSE)}`;
      const path = `./out/env/${Math.floor(i / STAGES_PER_WAREHOUSE)}/${i % STAGES_PER_WAREHOUSE}`;
      const spec = { ...s.spec, promotionTemplate: { spec: { steps: [{ task: { name: "bump-image" }, vars: [{ name: "path", value: path }, { name: "image", value: image }] }] } } };
      return { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Stage", metadata: meta(s.name), spec };
    }),
  ];
  return docs.map((d) => stringify(d)).join("---\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measure(label: string, bytes: number, run: () => { valid: boolean }): void {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    const result = run();
    times.push(performance.now() - start);
    if (!result.valid) throw new Error(`${label}: the generated config is not valid`);
  }
  console.log(`${label}: median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms over ${RUNS} runs (${(bytes / 1024).toFixed(0)} KiB)`);
}

const native = nativeText();
const options = { projectName: "bench" };
const first = validateProject({ native: [{ path: ".github/stagecoach.yml", text: native }] }, options);
if (!first.project) throw new Error("the generated native config is not valid");
const kargo = kargoText(first.project);
console.log(`pipeline: ${first.project.warehouses.length} warehouses, ${first.project.stages.length} stages, ${first.project.stages.reduce((n, s) => n + (s.spec.promotionTemplate?.spec.steps.length ?? 0), 0)} steps`);
measure("native short form", native.length, () => validateProject({ native: [{ path: ".github/stagecoach.yml", text: native }] }, options));
measure("Kargo manifests  ", kargo.length, () => validateProject({ kargo: [{ path: ".github/stagecoach/pipeline.yaml", text: kargo }] }, options));
