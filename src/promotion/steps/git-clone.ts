import { z } from "zod";
import type { PromotionRequest } from "../types.js";
import { defineStep, StepFailure } from "./step.js";

const schema = z.object({
  repoURL: z.string().min(1),
  insecureSkipTLSVerify: z.boolean().optional(),
  checkout: z
    .array(
      z
        .object({
          path: z.string().min(1),
          branch: z.string().min(1).optional(),
          commit: z.string().min(1).optional(),
          tag: z.string().min(1).optional(),
          create: z.boolean().optional(),
          fromFreight: z.boolean().optional(),
          fromOrigin: z.object({ name: z.string().min(1) }).optional(),
        })
        .refine((c) => [c.branch, c.commit, c.tag, c.fromFreight].filter(Boolean).length <= 1, "set only one of branch, commit, tag or fromFreight"),
    )
    .min(1),
});

/** Checks out branches, commits or tags of one repository into workspace paths. */
export const gitClone = defineStep(schema, async (config, env) => {
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
