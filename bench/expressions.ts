/**
 * Expression figures: 10,000 typical Kargo `${{ }}` values (a mix taken from Kargo's docs and real
 * pipelines: field reads, imageFrom, string building, quote, pipes with predicates, if: conditions,
 * dates, semver), each parsed and evaluated from its text as a promotion step does. Prints the
 * median per expression and the total; asserts nothing. Run: node --import tsx bench/expressions.ts
 */
import { performance } from "node:perf_hooks";
import { evaluateTemplate, type ExpressionContext } from "../src/promotion/expressions/index.js";

const COUNT = 10_000;

const TEMPLATES = [
  "${{ vars.gitRepo }}",
  "stage/${{ ctx.stage }}",
  '${{ imageFrom("ghcr.io/acme/app").Tag }}',
  "${{ outputs['open-pr'].pr.id }}",
  "${{ ctx.targetFreight.alias }}",
  "${{ outputs.commit.commit }}",
  "./src/env/${{ ctx.stage }}/values.yaml",
  "Promote ${{ imageFrom(vars.imageRepo).Tag }} to ${{ ctx.stage }}",
  '${{ imageFrom(vars.imageRepo).Tag matches "rc" }}',
  "${{ quote(outputs['read'].replicas) }}",
  '${{ quote({"a": vars.x}) }}',
  '${{ vars.tags | filter(# startsWith "v") | len() }}',
  "${{ status('open-pr') == 'Succeeded' }}",
  "${{ success() && outputs['open-pr'].pr.id != nil }}",
  "${{ now() }}",
  "${{ semverDiff(imageFrom(vars.imageRepo).Tag, outputs['read'].currentVersion) != 'Major' }}",
  "${{ freightMetadata(ctx.targetFreight.name)?.ticket ?? 'none' }}",
  "${{ vars.missing ?? 'default' }}",
  "guestbook-${{ ctx.stage }}",
  "${{ outputs['wait-for-pr'].commit }}",
];

const context: ExpressionContext = {
  ctx: { project: "guestbook", stage: "uat", promotion: "uat.01j2", targetFreight: { name: "f3a9", alias: "wiggly-tuatara", origin: { name: "app" } }, meta: { promotion: { actor: "alice", rollback: false } } },
  vars: { gitRepo: "https://github.com/acme/gitops.git", imageRepo: "ghcr.io/acme/app", x: "blue", tags: ["v1.2.0", "latest", "v1.3.0", "v1.4.0-rc.1", "main"] },
  outputs: { "open-pr": { pr: { id: 42 } }, commit: { commit: "9f1c2e3" }, read: { replicas: 3, currentVersion: "1.2.0" }, "wait-for-pr": { commit: "abc1234" } },
  freight: [{ name: "f3a9", origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag: "1.3.0", digest: "sha256:d1" }] }],
  freightMetadata: { f3a9: { ticket: "OPS-1" } },
  stepStatus: { success: () => true, failure: () => false, status: () => "Succeeded" },
};

const texts = Array.from({ length: COUNT }, (_, i) => TEMPLATES[i % TEMPLATES.length] as string);
// Warm up the JIT on one round of the mix, as a running App would be.
for (const text of TEMPLATES) evaluateTemplate(text, context);

const times: number[] = [];
const start = performance.now();
for (const text of texts) {
  const before = performance.now();
  evaluateTemplate(text, context);
  times.push(performance.now() - before);
}
const total = performance.now() - start;
times.sort((a, b) => a - b);
const at = (q: number) => (times[Math.floor(times.length * q)] ?? 0) * 1000;
console.log(`${COUNT} expressions (${TEMPLATES.length} kinds), parsed and evaluated: median ${at(0.5).toFixed(1)} µs, p99 ${at(0.99).toFixed(1)} µs, total ${total.toFixed(0)} ms`);
