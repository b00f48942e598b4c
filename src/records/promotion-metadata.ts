import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * What a promotion pull request says about itself, so the App can recognise its own promotions
 * and rebuild their state from GitHub. Version 2 binds the block to the repository and the head
 * branch it was written for, so a signed block copied into another pull request means nothing.
 */
export const PromotionMetadataSchema = z.strictObject({
  version: z.literal(2),
  project: z.string().min(1),
  stage: z.string().min(1),
  freight: z.string().regex(/^[0-9a-f]{40}$/, "a 40-character freight ID"),
  alias: z.string().min(1).optional(),
  warehouse: z.string().min(1),
  promotion: z.string().min(1),
  /** `owner/repo` the pull request was opened in. */
  repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "owner/repo"),
  /** The head branch the pull request was opened from. */
  branch: z.string().min(1),
  /** The config commit the promotion's steps came from. */
  configSha: z.string().regex(/^[0-9a-f]{40}$/).optional(),
  /** Who asked for it, when a person did. */
  actor: z.string().min(1).optional(),
  rollback: z.boolean().optional(),
  hold: z.strictObject({ since: z.string(), reason: z.string() }).optional(),
  /** HMAC-SHA256 of the other fields; present when a signing key is configured (always, in the App). */
  signature: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export type PromotionMetadata = Omit<z.infer<typeof PromotionMetadataSchema>, "signature" | "version">;

export type ParsedMetadata =
  | { ok: true; metadata: PromotionMetadata }
  | { ok: false; reason: "missing" | "invalid" | "tampered"; message: string };

const MARKER = "stagecoach:metadata";
/** One lazy group and nothing around it that can also eat spaces, so a huge body cannot make this slow. */
const BLOCK = /<!--\s*stagecoach:metadata\b([\s\S]*?)-->/g;
/** A body longer than GitHub allows did not come from GitHub. */
const MAX_BODY = 262_144;
const RESTORE = "Restore the block from the pull request's edit history, or close it and promote again.";

/**
 * The metadata as an HTML comment: invisible on GitHub, kept by edits around it. `<` and `>` are
 * written as JSON escapes so no value can close the comment early.
 */
export function formatMetadata(metadata: PromotionMetadata, key?: string): string {
  const fields = { version: 2 as const, ...withoutUndefined(metadata) };
  const signed = key === undefined ? fields : { ...fields, signature: sign(fields, key) };
  const json = JSON.stringify(signed).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e");
  return `<!-- ${MARKER} ${json} -->`;
}

/**
 * Reads the metadata back from a pull request body. With `key`, a block without a valid
 * signature is refused as tampered: anyone who may edit the body could otherwise redirect it.
 */
export function parseMetadata(body: string | null | undefined, key?: string): ParsedMetadata {
  const blocks = [...(body ?? "").slice(0, MAX_BODY).matchAll(BLOCK)];
  const [block, ...copies] = blocks;
  if (!block) return { ok: false, reason: "missing", message: `No \`<!-- ${MARKER} … -->\` block in the body. ${RESTORE}` };
  if (copies.length > 0) {
    return { ok: false, reason: "tampered", message: `${blocks.length} \`${MARKER}\` blocks in the body; a promotion has one. ${RESTORE}` };
  }
  let json: unknown;
  try {
    json = JSON.parse((block[1] as string).trim());
  } catch (error) {
    return { ok: false, reason: "invalid", message: `The \`${MARKER}\` block is not JSON (${(error as Error).message}). ${RESTORE}` };
  }
  const parsed = PromotionMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(block)"}: ${i.message}`).join("; ");
    return { ok: false, reason: "invalid", message: `The \`${MARKER}\` block is not valid: ${problems}. ${RESTORE}` };
  }
  const { signature, version, ...metadata } = parsed.data;
  if (key !== undefined && !(signature !== undefined && sameDigest(signature, sign({ version, ...metadata }, key)))) {
    return { ok: false, reason: "tampered", message: `The \`${MARKER}\` block was changed after Stagecoach wrote it, or was not written by this App. ${RESTORE}` };
  }
  return { ok: true, metadata };
}

/** Signs the fields as JSON with sorted keys, so the signature does not depend on how the JSON was laid out. */
function sign(fields: { version: 2 } & PromotionMetadata, key: string): string {
  return createHmac("sha256", key).update(canonicalJson(withoutUndefined(fields))).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * The key promotion metadata is signed with, derived from the App's webhook secret (every
 * replica has it, nobody who can only write to a repository does).
 */
export function deriveMetadataKey(webhookSecret: string): string {
  return Buffer.from(hkdfSync("sha256", webhookSecret, "stagecoach", "promotion metadata v2", 32)).toString("hex");
}
