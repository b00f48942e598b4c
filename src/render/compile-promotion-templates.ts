import { compileBuiltInTemplate, compileTemplate, type RenderTemplate } from "./compile-template.js";
import { PULL_REQUEST_BODY, PULL_REQUEST_TITLE } from "./templates/pull-request.js";

export interface PromotionTemplates {
  title: RenderTemplate;
  body: RenderTemplate;
}

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

export const DEFAULT_PROMOTION_TEMPLATES: PromotionTemplates = {
  title: compileBuiltInTemplate(PULL_REQUEST_TITLE, "default title template", { plainText: true }),
  body: compileBuiltInTemplate(PULL_REQUEST_BODY, "default body template"),
};
