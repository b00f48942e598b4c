import { z } from "zod";
import { defineStep } from "./step.js";

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
        })
        .refine((c) => [c.branch, c.commit, c.tag].filter(Boolean).length <= 1, "set only one of branch, commit or tag"),
    )
    .min(1),
});

/** Checks out branches, commits or tags of one repository into workspace paths. */
export const gitClone = defineStep(schema, async (config, env) => {
  const commits: Record<string, string> = {};
  for (const checkout of config.checkout) {
    const { commit } = await env.workspace.clone(config.repoURL, {
      path: checkout.path,
      ...(checkout.branch ? { branch: checkout.branch } : {}),
      ...(checkout.commit ? { commit: checkout.commit } : {}),
      ...(checkout.tag ? { tag: checkout.tag } : {}),
      ...(checkout.create ? { create: true } : {}),
    });
    commits[checkout.path] = commit;
  }
  return { phase: "Succeeded", outputs: { commits } };
});
