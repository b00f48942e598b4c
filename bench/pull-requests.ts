/**
 * Figures for the pure logic of promotions as pull requests: comment parsing, availability over
 * a large pipeline, rendering. Prints medians; asserts nothing. Run: node --import tsx bench/pull-requests.ts
 */
import { performance } from "node:perf_hooks";
import { commandsOnPromotionPullRequest } from "../src/commands/index.js";
import { parseComment } from "../src/commands/parse-comment.js";
import { availableFreight } from "../src/pipeline/available-freight.js";
import { countApprovals, type Review } from "../src/pipeline/count-approvals.js";
import type { Freight, PipelineStage } from "../src/pipeline/types.js";
import { diffTickedCheckboxes } from "../src/render/diff-ticked-checkboxes.js";
import { renderDashboard } from "../src/render/render-dashboard.js";
import { renderPromotionPullRequest } from "../src/render/render-promotion-pull-request.js";

/** Median time of one call, in microseconds, over `rounds` calls after a warm-up. */
function median(label: string, rounds: number, run: () => unknown): void {
  for (let i = 0; i < Math.min(50, rounds); i++) run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const us = (times[Math.floor(times.length / 2)] ?? 0) * 1000;
  console.log(`${label.padEnd(58)} median ${us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`}`);
}

const now = new Date("2026-11-10T12:00:00Z");
const hex = (n: number) => n.toString(16).padStart(40, "0");

// A pipeline 20 stages long, 500 freight, each verified in a few stages.
const STAGES = 20;
const stages: PipelineStage[] = Array.from({ length: STAGES }, (_, i) => ({
  name: `s${i}`,
  requestedFreight: [{ origin: { kind: "Warehouse", name: "app" }, sources: i === 0 ? { direct: true } : { stages: [`s${i - 1}`], requiredSoakTime: "1h" } }],
}));
const freight: Freight[] = Array.from({ length: 500 }, (_, n) => ({
  name: hex(n),
  alias: `freight-${n}`,
  origin: { kind: "Warehouse", name: "app" },
  images: [{ repoURL: "ghcr.io/acme/app", tag: `1.0.${n}`, digest: `sha256:${hex(n).padEnd(64, "0")}` }],
  createdAt: new Date(now.getTime() - (500 - n) * 60_000).toISOString(),
  status: {
    verifiedIn: Object.fromEntries(
      Array.from({ length: n % STAGES }, (_, s) => [`s${s}`, { verifiedAt: new Date(now.getTime() - 7_200_000).toISOString() }]),
    ),
  },
}));

const typical = "Verified by hand on uat, logs look clean.\n\n/approve freight-42 prod\n/promote prod freight-42\n\n> /promote dev\n";
const hostile = `${"> quoted /promote prod\n".repeat(1000)}\`\`\`\n${"/promote prod\n".repeat(1000)}\`\`\`\n${"/status\n".repeat(1000)}`;
median(`parseComment, typical comment (${typical.length} chars)`, 2000, () => parseComment(typical));
median(`parseComment, hostile comment (${hostile.length} chars, 3000 lines)`, 200, () => parseComment(hostile));
// The slowest shapes found for the Markdown lexer, at GitHub's size limit for a comment.
const emphasis = `${"*a".repeat(32_000)}\n/status`;
const nested = `${"- > ".repeat(16_000)}\n/status`;
median(`parseComment, ${emphasis.length} chars of unclosed emphasis`, 10, () => parseComment(emphasis));
median(`parseComment, ${nested.length} chars of nested lists and quotes`, 10, () => parseComment(nested));

const last = stages[STAGES - 1] as PipelineStage;
median("availableFreight, last of 20 stages, 500 freight", 500, () => availableFreight(last, stages, freight, now));
median("availableFreight, all 20 stages, 500 freight", 50, () => stages.map((s) => availableFreight(s, stages, freight, now)));

const reviews: Review[] = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  user: { login: `reviewer-${i % 20}` },
  state: ["APPROVED", "COMMENTED", "CHANGES_REQUESTED", "DISMISSED"][i % 4] as string,
  submitted_at: new Date(now.getTime() + i * 1000).toISOString(),
}));
median("countApprovals, 200 reviews by 20 people", 2000, () => countApprovals(reviews, reviews.map((r) => r.user?.login ?? ""), 2));

const target = freight[499] as Freight;
median("renderPromotionPullRequest (default templates)", 2000, () =>
  renderPromotionPullRequest({ project: "shop", stage: "prod", promotionId: "p", freight: target, current: freight[498], requiredApprovals: 2, approvers: ["alice"], repository: "acme/shop", commands: commandsOnPromotionPullRequest("prod") }),
);

const view = {
  project: "shop",
  stages: stages.map((s) => ({ name: s.name, health: "Healthy" as const, current: freight[0], available: availableFreight(s, stages, freight, now), openPromotions: [] })),
};
const dashboard = renderDashboard(view);
median(`renderDashboard, 20 stages (${dashboard.length} chars)`, 500, () => renderDashboard(view));
const ticked = dashboard.replace("- [ ]", "- [x]");
median("diffTickedCheckboxes on that dashboard", 2000, () => diffTickedCheckboxes(dashboard, ticked));
