import { formatResourceKey } from "./resource-key.js";
import type { ManifestDiff, ResourceChange } from "./types.js";

/** GitHub refuses a pull request body or comment longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;
/** Longest diff shown for one resource; the rest of it is cut with a note. */
const MAX_RESOURCE_DIFF = 20_000;
const SIGN: Record<ResourceChange["change"], string> = { added: "+", removed: "-", changed: "~" };

export interface RenderDiffOptions {
  /** The heading, e.g. "What Argo CD will change in uat". */
  title: string;
  /** Characters the text may take (a whole PR body is 65,536; leave room for the rest of it). */
  limit?: number;
  /** Where the whole diff can be read, linked from the note when the text is cut. */
  fullDiffUrl?: string;
}

/**
 * A diff as Markdown for a pull request: a count line, then one collapsed `<details>` section per
 * resource holding its unified diff. Past `limit` characters the remaining resources are listed
 * by name only, then left out with a note (and the link, if given), so GitHub always takes it.
 */
export function renderResourceChanges(diff: ManifestDiff, options: RenderDiffOptions): string {
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const counts = (["changed", "added", "removed"] as const).map((kind) => `${diff.changes.filter((c) => c.change === kind).length} ${kind}`).join(", ");
  const head = `### ${options.title}\n\n${diff.changes.length === 0 ? "No resource changes" : counts}${diff.unchanged ? ` (${diff.unchanged} unchanged)` : ""}.`;
  const sections = diff.changes.map(renderChange);
  const noteRoom = 300 + (options.fullDiffUrl?.length ?? 0);
  let text = head;
  let shown = 0;
  for (const section of sections) {
    if (text.length + 2 + section.length > limit - noteRoom) break;
    text += `\n\n${section}`;
    shown += 1;
  }
  if (shown === sections.length) return text;
  const rest = diff.changes.slice(shown);
  const names: string[] = [];
  for (const change of rest) {
    const line = `- ${SIGN[change.change]} \`${formatResourceKey(change.key)}\``;
    if (text.length + names.join("\n").length + line.length + noteRoom > limit) break;
    names.push(line);
  }
  const unnamed = rest.length - names.length;
  const where = options.fullDiffUrl ? ` [The whole diff](${options.fullDiffUrl}).` : "";
  return `${text}\n\n${rest.length} more resource${rest.length === 1 ? "" : "s"} changed, not shown in full: GitHub keeps at most ${limit} characters here.${where}${names.length ? `\n\n${names.join("\n")}` : ""}${unnamed ? `\n\n_… and ${unnamed} more._` : ""}`;
}

function renderChange(change: ResourceChange): string {
  const summary = `${SIGN[change.change]} <code>${escapeHtml(formatResourceKey(change.key))}</code> (${change.change})`;
  const note = change.note ? `\n\n${escapeHtml(change.note)}` : "";
  let body = "";
  if (change.diff !== undefined) {
    const cut = change.diff.length > MAX_RESOURCE_DIFF;
    const shown = cut ? `${change.diff.slice(0, change.diff.lastIndexOf("\n", MAX_RESOURCE_DIFF))}` : change.diff;
    body = `\n\n${fence(shown)}${cut ? `\n\n_The diff of this resource is cut at ${MAX_RESOURCE_DIFF} characters._` : ""}`;
  }
  return `<details><summary>${summary}</summary>${note}${body}\n\n</details>`;
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}diff\n${text}\n${ticks}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
