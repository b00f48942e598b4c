import { hkdfSync } from "node:crypto";
import { z } from "zod";
import { defineRecord, type RecordRefused } from "./define-record.js";

/**
 * What a promotion pull request says about itself, so the App can recognise its own promotions
 * and rebuild their state from GitHub. Version 2 binds the block to the repository and the head
 * branch it was written for, so a signed block copied into another pull request means nothing.
 *
 * Written by the App, as an HTML comment at the end of the body of every promotion pull request it
 * opens, signed with a key derived from the webhook secret. Changed by anyone who may edit the
 * body (the App, and people with write access): the signature is what shows a change.
 *
 * A block it cannot trust makes the pull request no promotion (recognisePromotionPullRequest):
 * approval, merge, resume, `/abort`, the dashboard and recovery leave it alone, and the message
 * says to restore the block from the edit history or to close the pull request and promote again.
 * - missing (no block): "missing".
 * - malformed (not JSON, a field that does not fit, an unknown version, an extra field): "invalid".
 * - tampered (a field edited, the signature removed, a second block pasted in): "tampered".
 * - written by another App: signed with another key, so "tampered" (and where the App's bot is
 *   known, recognisePromotionPullRequest refuses a pull request another bot opened before reading it).
 * - signed before the webhook secret was rotated: the key changed with it, so "tampered".
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
});

export type PromotionMetadata = Omit<z.infer<typeof PromotionMetadataSchema>, "version">;

export type ParsedMetadata = { ok: true; metadata: PromotionMetadata } | RecordRefused;

const METADATA = defineRecord({
  marker: "stagecoach:metadata",
  frame: "comment",
  place: "body",
  /** A body longer than GitHub allows (65,536 characters, with room to spare) did not come from GitHub. */
  budget: 262_144,
  schema: PromotionMetadataSchema,
  // The signature (HMAC-SHA256 of the other fields) sits in the block as `signature`, so a change to
  // any field shows, while the block stays readable for people and tools.
  protection: "signed",
  remedy: "Restore the block from the pull request's edit history, or close it and promote again.",
});

/** The metadata as an HTML comment: invisible on GitHub, kept by edits around it. */
export function formatMetadata(metadata: PromotionMetadata, key?: string): string {
  return METADATA.embed({ version: 2, ...metadata }, key);
}

/**
 * Reads the metadata back from a pull request body. With `key`, a block without a valid
 * signature is refused as tampered: anyone who may edit the body could otherwise redirect it.
 */
export function parseMetadata(body: string | null | undefined, key?: string): ParsedMetadata {
  const read = METADATA.read(body, key);
  if (!read.ok) return read;
  const { version: _version, ...metadata } = read.value;
  return { ok: true, metadata };
}

/**
 * The key promotion metadata is signed with, derived from the App's webhook secret (every
 * replica has it, nobody who can only write to a repository does).
 */
export function deriveMetadataKey(webhookSecret: string): string {
  return Buffer.from(hkdfSync("sha256", webhookSecret, "stagecoach", "promotion metadata v2", 32)).toString("hex");
}
