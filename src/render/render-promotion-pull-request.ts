import { COMMANDS } from "../commands/command-table.js";
import type { Freight } from "../pipeline/types.js";
import { compileTemplate, type RenderTemplate } from "./compile-template.js";
import { commitLink, imageLink } from "./derive-artifact-links.js";
import { formatMetadata } from "./promotion-metadata.js";
import { promotionBranch, promotionLabels } from "./promotion-labels.js";
import { summarizeChange } from "./summarize-change.js";
import { PULL_REQUEST_BODY, PULL_REQUEST_TITLE } from "./templates/pull-request.js";

export interface PromotionPullRequestInput {
  project: string;
  stage: string;
  promotionId: string;
  freight: Freight;
  /** What the stage runs now, for the summary of the change. */
  current?: Freight;
  requiredApprovals?: number;
  /** The stage's `approvers`; empty means anyone with write access. */
  approvers?: string[];
  /** Signs the metadata block (see parseMetadata). */
  metadataKey?: string;
}

export interface PromotionPullRequest {
  title: string;
  body: string;
  labels: string[];
  branch: string;
}

export interface PromotionTemplates {
  title: RenderTemplate;
  body: RenderTemplate;
}

/** GitHub refuses longer titles. */
const TITLE_LIMIT = 256;
/** On a promotion pull request these commands apply; the others are for any comment. */
const PR_COMMANDS = ["abort", "rollback", "reverify", "status", "help"] as const;

export type CompiledPromotionTemplates = { ok: true; templates: PromotionTemplates } | { ok: false; messages: string[] };

/**
 * Compiles a stage's `title` / `body` templates over the defaults. `fields` say where each came
 * from (a config field such as `stages[2].github.body`, or a file), so an error names it.
 */
export function compilePromotionTemplates(
  overrides: { title?: string; body?: string },
  fields: { title: string; body: string },
): CompiledPromotionTemplates {
  const title = compileTemplate(overrides.title ?? PULL_REQUEST_TITLE, fields.title, { plainText: true });
  const body = compileTemplate(overrides.body ?? PULL_REQUEST_BODY, fields.body);
  if (title.ok && body.ok) return { ok: true, templates: { title: title.render, body: body.render } };
  return { ok: false, messages: [title, body].flatMap((t) => (t.ok ? [] : [t.message])) };
}

const defaults = compilePromotionTemplates({}, { title: "default title template", body: "default body template" });
if (!defaults.ok) throw new Error(defaults.messages.join("\n"));
export const DEFAULT_PROMOTION_TEMPLATES: PromotionTemplates = defaults.templates;

/** Title, body, labels and branch of the pull request that carries one promotion. */
export function renderPromotionPullRequest(
  input: PromotionPullRequestInput,
  templates: PromotionTemplates = DEFAULT_PROMOTION_TEMPLATES,
): PromotionPullRequest {
  const view = buildView(input);
  const metadata = formatMetadata(
    {
      project: input.project,
      stage: input.stage,
      freight: input.freight.name,
      alias: input.freight.alias,
      warehouse: input.freight.origin.name,
      promotion: input.promotionId,
    },
    input.metadataKey,
  );
  const title = templates.title(view).replace(/\s+/g, " ").trim().slice(0, TITLE_LIMIT);
  return {
    title,
    body: `${templates.body(view).trimEnd()}\n\n${metadata}\n`,
    labels: promotionLabels({ stage: input.stage, alias: view.alias, warehouse: view.warehouse }),
    branch: promotionBranch({ stage: input.stage, alias: view.alias }),
  };
}

/** Everything a template may read: plain data, with links and summaries worked out beforehand. */
function buildView(input: PromotionPullRequestInput) {
  const { freight, stage } = input;
  const shortId = freight.name.slice(0, 7);
  const required = input.requiredApprovals ?? 0;
  return {
    project: input.project,
    stage,
    alias: freight.alias ?? shortId,
    shortId,
    freightId: freight.name,
    warehouse: freight.origin.name,
    promotionId: input.promotionId,
    current: input.current ? { alias: input.current.alias ?? input.current.name.slice(0, 7) } : undefined,
    changes: summarizeChange(freight, input.current),
    images: (freight.images ?? []).map((i) => ({ ...i, link: imageLink(i.repoURL) })),
    commits: (freight.commits ?? []).map((c) => ({ ...c, shortId: c.id.slice(0, 7), link: commitLink(c.repoURL, c.id) })),
    charts: (freight.charts ?? []).map((c) => ({ ...c, ref: c.name ? `${c.repoURL}/${c.name}` : c.repoURL })),
    verifiedIn: Object.entries(freight.status.verifiedIn ?? {}).map(([name, v]) => ({ stage: name, verifiedAt: v.verifiedAt })),
    approvedFor: Object.entries(freight.status.approvedFor ?? {}).map(([name, a]) => ({ stage: name, approvedAt: a.approvedAt })),
    approvalsNeeded: required === 0 ? undefined : `${required} approval${required === 1 ? "" : "s"}`,
    approvers: input.approvers ?? [],
    commands: PR_COMMANDS.map((name) => ({
      usage: COMMANDS[name].usage.replace("<stage>", stage).replace(/ \[[^\]]*\]/g, ""),
      summary: COMMANDS[name].summary,
    })),
  };
}
