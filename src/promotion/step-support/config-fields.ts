import { z } from "zod";

/** Kargo's `fromOrigin`: which warehouse's freight a step reads when several are promoted. */
export const fromOrigin = z.strictObject({ kind: z.literal("Warehouse").default("Warehouse"), name: z.string().min(1) });

/** Kargo's `provider`: the git hosting service a step talks to. */
export const gitProvider = z.enum(["github", "gitlab", "gitea", "azure", "bitbucket"]);

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(z.strictObject({ key: z.string().min(1), operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]), values: z.array(z.string()).optional() })).optional(),
});

/** An entry of argocd-update's and argocd-wait's `apps[]`: one Application by name, or a selector. */
export const appSelection = {
  name: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  selector: labelSelector.optional(),
};

/** The `refine` of an `apps[]` entry: exactly one of name and selector. */
export const NAME_OR_SELECTOR = [
  (app: { name?: string; selector?: unknown }) => !!app.name !== !!app.selector,
  { message: "give the Application's name or a selector (exactly one of them)" },
] as const;

/** The pull-request steps' target: the repository, and fields Kargo has that Stagecoach ignores. */
export const pullRequestTarget = {
  repoURL: z.string().min(1),
  // Ignored: Stagecoach knows the host from repoURL (GitHub).
  provider: gitProvider.optional(),
  // Ignored: Stagecoach talks to GitHub's API, whose certificate is always checked.
  insecureSkipTLSVerify: z.boolean().optional(),
};
