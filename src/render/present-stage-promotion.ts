import type { Project } from "../config/index.js";
import type { PromotionPresentation } from "../github/present-promotion-pull-requests.js";
import type { Freight } from "../pipeline/types.js";
import { compilePromotionTemplates, DEFAULT_PROMOTION_TEMPLATES } from "./compile-promotion-templates.js";
import { renderPromotionPullRequest } from "./render-promotion-pull-request.js";

export interface StagePromotionInput {
  project: Project;
  stage: Project["stages"][number];
  promotionId: string;
  /** The freight, with where it is verified already. */
  freight: Freight;
  /** What the stage runs now, for the change summary. */
  current?: Freight;
  /** The slash commands that apply on the pull request (commandsOnPromotionPullRequest). */
  commands: Array<{ usage: string; summary: string }>;
  /** `owner/repo`, and what the metadata block carries so a promotion can be rebuilt from its pull request. */
  repository: string;
  configSha?: string;
  actor?: string;
  rollback?: boolean;
  hold?: { since: string; reason: string };
}

/**
 * Title, body, metadata block fields, labels and reviewers of a stage's promotion pull request.
 * Templates from the config that do not compile fall back to the defaults, and the problems are
 * returned so the caller can say so (the config check names them with line and column).
 */
export function presentStagePromotion(input: StagePromotionInput): { presentation: PromotionPresentation; problems: string[] } {
  const { project, stage } = input;
  const { github } = stage.spec;
  const index = project.stages.indexOf(stage);
  const compiled = compilePromotionTemplates(
    { ...(github.title ? { title: github.title } : {}), ...(github.body ? { body: github.body } : {}) },
    { title: `stages[${index}].github.title`, body: `stages[${index}].github.body` },
  );
  const rendered = renderPromotionPullRequest(
    {
      project: project.name,
      stage: stage.name,
      promotionId: input.promotionId,
      freight: input.freight,
      ...(input.current ? { current: input.current } : {}),
      requiredApprovals: github.requiredApprovals,
      approvers: github.approvers,
      commands: input.commands,
      repository: input.repository,
      ...(input.configSha ? { configSha: input.configSha } : {}),
      ...(input.actor ? { actor: input.actor } : {}),
      ...(input.rollback ? { rollback: true } : {}),
      ...(input.hold ? { hold: input.hold } : {}),
    },
    compiled.ok ? compiled.templates : DEFAULT_PROMOTION_TEMPLATES,
  );
  return {
    presentation: {
      title: rendered.title,
      body: rendered.body,
      metadata: rendered.metadata,
      labels: [...rendered.labels, ...github.labels],
      reviewers: github.reviewers,
      teamReviewers: github.teamReviewers.map((team) => team.replace(/^@?[^/]+\//, "")),
    },
    problems: compiled.ok ? [] : compiled.messages,
  };
}
