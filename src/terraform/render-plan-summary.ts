import { truncateText } from "./truncate-text.js";
import type { PlanAction, PlanSummary } from "./types.js";

/** GitHub's limits: a check run's summary and text hold 65,535 characters each, a pull request body 65,536. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
export const PULL_REQUEST_BODY_LIMIT = 65_536;
/** The plan's share of a promotion pull request's body, which has the promotion's own text too. */
export const PLAN_DETAILS_BUDGET = 32_768;

/** The symbols Terraform's plan uses, so the table reads like the plan. */
const SYMBOLS: Readonly<Record<PlanAction, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "-/+",
  read: "<=",
  forget: ".",
  move: "→",
  import: "←",
};

/** "3 to add, 1 to change, 2 to destroy (1 replaced)" or "no changes": a check run title. */
export function renderPlanTitle(summary: PlanSummary): string {
  if (!summary.changed) return "no changes";
  const extras = [
    summary.replace > 0 ? `${summary.replace} replaced` : "",
    summary.import > 0 ? `${summary.import} to import` : "",
    summary.forget > 0 ? `${summary.forget} to forget` : "",
  ].filter(Boolean);
  return `${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`;
}

/**
 * The check run summary: the counts, then a table of the changed resources and outputs. Rows past
 * `budget` are left out with a note saying how many.
 */
export function renderPlanSummary(summary: PlanSummary, budget: number = CHECK_RUN_TEXT_LIMIT): string {
  const heading = `**Terraform ${summary.terraformVersion}**: ${renderPlanTitle(summary)}.`;
  if (!summary.changed) return `${heading} Applying this plan changes nothing.`.slice(0, budget);
  const rows = [
    ...summary.resources.map((resource) => {
      const from = resource.previousAddress ? ` (from ${codeSpan(resource.previousAddress)})` : "";
      return `| ${SYMBOLS[resource.action]} | ${resource.action} | ${codeSpan(resource.address)}${from} |`;
    }),
    ...summary.outputs.map((output) => `| ${SYMBOLS[output.action]} | ${output.action} | output ${codeSpan(output.name)} |`),
  ];
  const top = `${heading}\n\n| | Action | Address |\n|---|---|---|\n`;
  const note = (left: number) => `\n\n…and ${left} more ${left === 1 ? "change" : "changes"}, left out to fit; the full plan lists every one.`;
  let text = top;
  for (const [index, row] of rows.entries()) {
    const left = rows.length - index - 1;
    if (text.length + row.length + 1 + (left > 0 ? note(left).length : 0) > budget) return `${text.trimEnd()}${note(rows.length - index)}`.slice(0, budget);
    text += `${row}\n`;
  }
  return text.trimEnd();
}

/** The check run text: the rendered plan in a code block, cut with a note past `budget`. */
export function renderPlanText(rendered: string, budget: number = CHECK_RUN_TEXT_LIMIT): string {
  const fence = fenceFor(rendered);
  const note = (omitted: number) => `[… ${omitted} more characters of the plan left out to fit; the saved plan has all of it]`;
  const inner = truncateText(rendered.replace(/^\n+/, "").trimEnd(), Math.max(budget - 2 * fence.length - 2, 0), note);
  return `${fence}\n${inner}\n${fence}`;
}

/**
 * A collapsed section for the promotion pull request's body: the counts in the summary line,
 * the table and the rendered plan inside, all within `budget`.
 */
export function renderPlanDetails(stage: string, summary: PlanSummary, rendered: string, budget: number = PLAN_DETAILS_BUDGET): string {
  const open = `<details><summary>Terraform plan for <b>${escapeHtml(stage)}</b>: ${renderPlanTitle(summary)}</summary>\n\n`;
  const close = "\n\n</details>";
  const room = budget - open.length - close.length;
  const table = renderPlanSummary(summary, Math.floor(room / 3));
  const text = renderPlanText(rendered, room - table.length - 2);
  return `${open}${table}\n\n${text}${close}`;
}

/** A Markdown code span for any text, with the pipes escaped so a table cell stays one cell. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text;
  return `${ticks}${padded}${ticks}`.replaceAll("|", "\\|");
}

function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[char] ?? char);
}
