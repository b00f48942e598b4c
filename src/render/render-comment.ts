import { compileBuiltInTemplate, type RenderTemplate } from "./compile-template.js";
import { COMMENT_TEMPLATES } from "./templates/comments.js";

interface Promotion {
  actor: string;
  stage: string;
  alias: string;
}

/** What each comment needs to say. */
export interface CommentViews {
  promoting: Promotion & { pullRequest?: number };
  approved: Promotion;
  rollingBack: Promotion & { pullRequest?: number };
  aborting: Promotion;
  reverifying: Promotion;
  /** `message`: an authorize() or resolveFreight() refusal. */
  refused: { message: string };
  /** `message`: a parseComment() usage error. */
  invalid: { actor: string; message: string };
  unknown: { actor: string; message: string; help: string };
  help: { help: string };
  superseded: { stage: string; successor: number; successorAlias: string };
  aborted: { stage: string; alias: string };
}

export type CommentKind = keyof CommentViews;

const COMPILED = Object.fromEntries(
  Object.entries(COMMENT_TEMPLATES).map(([kind, source]) => [kind, compileBuiltInTemplate(source, `comment template ${kind}`)]),
) as Record<CommentKind, RenderTemplate>;

/** The Markdown of one of the App's answers. */
export function renderComment<K extends CommentKind>(kind: K, view: CommentViews[K]): string {
  return COMPILED[kind](view);
}
