import type { Freight } from "../pipeline/types.js";
import { DEFAULT_PROMOTION_TEMPLATES, type PromotionTemplates } from "./compile-promotion-templates.js";
import { commitLink, imageLink } from "./derive-artifact-links.js";
import { promotionBranchName } from "../promotion/promotion-branch.js";
import { formatMetadata, type PromotionMetadata } from "../records/promotion-metadata.js";
import { promotionLabels } from "./promotion-labels.js";
import { summarizeChange } from "./summarize-change.js";

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
  /** The slash commands that apply on the pull request, stage filled in (commandsOnPromotionPullRequest). */
  commands: Array<{ usage: string; summary: string }>;
  /** `owner/repo` the pull request goes to (the metadata block is bound to it). */
  repository: string;
  /** The config commit the steps come from, who asked, and what the promotion carries along: kept in the metadata block. */
  configSha?: string;
  actor?: string;
  rollback?: boolean;
  hold?: { since: string; reason: string };
}

export interface PromotionPullRequest {
  title: string;
  /** The body as the templates render it, without the metadata block (withMetadata adds it). */
  body: string;
  labels: string[];
  branch: string;
  /** What the metadata block will say; its `branch` is replaced by the head the pull request is really opened from. */
  metadata: PromotionMetadata;
}

/** GitHub refuses longer titles. */
const TITLE_LIMIT = 256;

/** Title, body, labels and branch of the pull request that carries one promotion. */
export function renderPromotionPullRequest(
  input: PromotionPullRequestInput,
  templates: PromotionTemplates = DEFAULT_PROMOTION_TEMPLATES,
): PromotionPullRequest {
  const view = buildView(input);
  const branch = promotionBranchName(input.promotionId);
  const metadata: PromotionMetadata = {
    project: input.project,
    stage: input.stage,
    freight: input.freight.name,
    alias: input.freight.alias,
    warehouse: input.freight.origin.name,
    promotion: input.promotionId,
    repository: input.repository,
    branch,
    configSha: input.configSha,
    actor: input.actor,
    rollback: input.rollback,
    hold: input.hold,
  };
  const title = templates.title(view).replace(/\s+/g, " ").trim().slice(0, TITLE_LIMIT);
  return {
    title,
    body: templates.body(view).trimEnd(),
    labels: promotionLabels({ stage: input.stage, alias: view.alias, warehouse: view.warehouse }),
    branch,
    metadata,
  };
}

/**
 * The body as it is opened: the rendered text, then the metadata block, signed with the App's key.
 * The block always comes last and is always added, whatever a template from config renders.
 */
export function withMetadata(body: string, metadata: PromotionMetadata, key?: string): string {
  return `${body.trimEnd()}\n\n${formatMetadata(metadata, key)}\n`;
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
    commands: input.commands,
  };
}
