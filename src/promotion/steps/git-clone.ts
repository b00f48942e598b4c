import { z } from "zod";
import type { PromotionRequest } from "../types.js";
import { defineStep } from "../step-definition.js";
import { fromOrigin } from "../step-support/config-fields.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  repoURL: z.string().min(1),
  // Ignored: the workspace checks every certificate.
  insecureSkipTLSVerify: z.boolean().optional(),
  // Ignored: commits take their author from git-commit's config or the App's identity.
  author: z.strictObject({ name: z.string().min(1).optional(), email: z.string().min(1).optional(), signingKey: z.string().min(1).optional() }).optional(),
  checkout: z
    .array(
      z
        .strictObject({
          path: z.string().min(1),
          branch: z.string().min(1).optional(),
          commit: z.string().min(1).optional(),
          tag: z.string().min(1).optional(),
          create: z.boolean().optional(),
          fromFreight: z.boolean().optional(),
          fromOrigin: fromOrigin.optional(),
          // Ignored: the workspace reads only the files steps touch, so there is nothing to narrow.
          sparse: z.array(z.string().min(1)).optional(),
        })
        .refine((c) => [c.branch, c.commit, c.tag, c.fromFreight].filter((v) => v !== undefined && v !== false).length <= 1, "set only one of branch, commit, tag or fromFreight"),
    )
    .min(1),
});

/** Checks out branches, commits or tags of one repository into workspace paths. */
export const gitClone = defineStep({
  uses: "git-clone",
  config: schema,
  async run(config, env) {
    const commits: Record<string, string> = {};
    for (const checkout of config.checkout) {
      const commitFromFreight = checkout.fromFreight ? freightCommit(env.promotion, config.repoURL, checkout.fromOrigin) : undefined;
      const { commit } = await env.workspace.clone(config.repoURL, {
        path: checkout.path,
        ...(checkout.branch ? { branch: checkout.branch } : {}),
        ...(checkout.commit || commitFromFreight ? { commit: (checkout.commit ?? commitFromFreight) as string } : {}),
        ...(checkout.tag ? { tag: checkout.tag } : {}),
        ...(checkout.create ? { create: true } : {}),
      });
      commits[checkout.path] = commit;
    }
    return { phase: "Succeeded", outputs: { commits } };
  },
});

/** The commit of `repoURL` in the freight being promoted (checkout[].fromFreight). */
function freightCommit(promotion: PromotionRequest, repoURL: string, origin: { name: string } | undefined): string {
  const wanted = repoURL.replace(/\.git$/, "").replace(/\/$/, "").toLowerCase();
  for (const freight of promotion.freight) {
    if (origin && freight.origin.name !== origin.name) continue;
    const commit = freight.commits?.find((c) => c.repoURL.replace(/\.git$/, "").replace(/\/$/, "").toLowerCase() === wanted);
    if (commit) return commit.id;
  }
  throw new StepFailure(`checkout fromFreight: the freight being promoted has no commit from ${repoURL}; subscribe the warehouse to it or check out a branch`);
}
