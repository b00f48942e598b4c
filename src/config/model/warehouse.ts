import { z } from "zod";

const name = z.string().min(1);
const regexes = z.array(z.string().min(1));
const discoveryLimit = z.number().int().min(1).max(100).default(20);

export const ImageSubscriptionSchema = z.strictObject({
  repoURL: name.describe("Image repository, e.g. ghcr.io/acme/app"),
  imageSelectionStrategy: z.enum(["SemVer", "Lexical", "Digest", "NewestBuild"]).default("SemVer"),
  constraint: z.string().min(1).optional().describe("A semver range for SemVer; the tag to watch for Digest"),
  allowTagsRegexes: regexes.optional(),
  ignoreTagsRegexes: regexes.optional(),
  strictSemvers: z.boolean().default(true),
  insecureSkipTLSVerify: z.boolean().optional().describe("Accept an untrusted TLS certificate from this repository's server"),
  platform: z.string().regex(/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/, "use os/arch, e.g. linux/amd64").optional(),
  discoveryLimit,
});

export const GitSubscriptionSchema = z.strictObject({
  repoURL: name,
  branch: z.string().min(1).optional(),
  commitSelectionStrategy: z.enum(["NewestFromBranch", "SemVer", "Lexical", "NewestTag"]).default("NewestFromBranch"),
  semverConstraint: z.string().min(1).optional(),
  allowTagsRegexes: regexes.optional(),
  ignoreTagsRegexes: regexes.optional(),
  strictSemvers: z.boolean().default(true),
  insecureSkipTLSVerify: z.boolean().optional().describe("Accept an untrusted TLS certificate from this repository's server"),
  includePaths: z.array(z.string().min(1)).optional().describe("Plain paths, or glob:/regex: prefixed patterns"),
  excludePaths: z.array(z.string().min(1)).optional(),
  discoveryLimit,
});

export const ChartSubscriptionSchema = z.strictObject({
  repoURL: name.describe("An https chart repository index or an oci:// repository"),
  name: z.string().min(1).optional().describe("Chart name (classic repositories only)"),
  semverConstraint: z.string().min(1).optional(),
  insecureSkipTLSVerify: z.boolean().optional().describe("Accept an untrusted TLS certificate from this repository's server"),
  discoveryLimit,
});

// One object with three optional keys (not a union) so a mistake inside `image:` is reported
// at that field instead of as "matches none of three shapes".
export const SubscriptionSchema = z
  .strictObject({ image: ImageSubscriptionSchema.optional(), git: GitSubscriptionSchema.optional(), chart: ChartSubscriptionSchema.optional() })
  .refine((s) => [s.image, s.git, s.chart].filter(Boolean).length === 1, { message: "a subscription is exactly one of image:, git: or chart:" });

export const WarehouseSpecSchema = z.strictObject({
  interval: z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, "use a duration such as 5m or 1h30m").default("5m"),
  freightCreationPolicy: z.enum(["Automatic", "Manual"]).default("Automatic"),
  freightCreationCriteria: z.strictObject({ expression: z.string().min(1) }).optional(),
  subscriptions: z.array(SubscriptionSchema).min(1, "a warehouse needs at least one subscription (image, git or chart)"),
});

export const WarehouseSchema = z.strictObject({ name, spec: WarehouseSpecSchema });

export type ImageSubscription = z.infer<typeof ImageSubscriptionSchema>;
export type GitSubscription = z.infer<typeof GitSubscriptionSchema>;
export type ChartSubscription = z.infer<typeof ChartSubscriptionSchema>;
export type Subscription = z.infer<typeof SubscriptionSchema>;
export type Warehouse = z.infer<typeof WarehouseSchema>;
