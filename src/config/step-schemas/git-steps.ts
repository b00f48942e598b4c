import { z } from "zod";
import { author, count, flag, fromOrigin, gitProvider, oneOf, orExpression, text } from "./config-values.js";

const checkout = z.strictObject({
  path: text,
  branch: text.optional(),
  commit: text.optional(),
  tag: text.optional(),
  create: flag.optional(),
  fromFreight: flag.optional(),
  fromOrigin: fromOrigin.optional(),
  sparse: z.array(text).optional(),
}).refine((c) => [c.branch, c.commit, c.tag, c.fromFreight].filter((v) => v !== undefined && v !== false).length <= 1, {
  message: "set only one of branch, commit, tag or fromFreight",
});

const push = z.strictObject({
  path: text,
  targetBranch: text.optional(),
  generateTargetBranch: flag.optional(),
  tag: text.optional(),
  maxAttempts: count.optional(),
  provider: gitProvider.optional(),
  force: flag.optional(),
}).refine((c) => [c.targetBranch, c.generateTargetBranch, c.tag].filter((v) => v !== undefined && v !== false).length <= 1, {
  message: "set only one of targetBranch, generateTargetBranch or tag",
});

const pullRequestTarget = {
  repoURL: text,
  provider: gitProvider.optional(),
  insecureSkipTLSVerify: flag.optional(),
};

const prNumber = orExpression(z.number().int().positive());

export const GIT_STEP_SCHEMAS = {
  "git-clone": z.strictObject({
    repoURL: text,
    insecureSkipTLSVerify: flag.optional(),
    author: author.optional(),
    checkout: z.array(checkout).min(1),
  }),
  "git-clear": z.strictObject({ path: text }),
  "git-commit": z.strictObject({ path: text, message: text.optional(), messageFromSteps: z.array(text).optional(), author: author.optional() }),
  "git-push": push,
  "github-push": push,
  "git-tag": z.strictObject({ path: text, tag: text, message: z.string().optional() }),
  "git-open-pr": z.strictObject({
    ...pullRequestTarget,
    sourceBranch: text.optional(),
    targetBranch: text.optional(),
    createTargetBranch: flag.optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    labels: z.array(text).optional(),
  }),
  "git-wait-for-pr": z.strictObject({ ...pullRequestTarget, prNumber }),
  "git-merge-pr": z.strictObject({ ...pullRequestTarget, prNumber, mergeMethod: oneOf(["merge", "squash", "rebase"]).optional(), wait: flag.optional() }),
};
