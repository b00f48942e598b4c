import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** What a promotion pull request says about itself, so the App can rebuild its state from GitHub. */
export const PromotionMetadataSchema = z.strictObject({
  version: z.literal(1),
  project: z.string().min(1),
  stage: z.string().min(1),
  freight: z.string().regex(/^[0-9a-f]{40}$/, "a 40-character freight ID"),
  alias: z.string().min(1).optional(),
  warehouse: z.string().min(1),
  promotion: z.string().min(1),
  /** HMAC-SHA256 of the other fields, present when a signing key is configured. */
  signature: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export type PromotionMetadata = Omit<z.infer<typeof PromotionMetadataSchema>, "signature" | "version">;

export type ParsedMetadata =
  | { ok: true; metadata: PromotionMetadata }
  | { ok: false; reason: "missing" | "invalid" | "tampered"; message: string };

const MARKER = "stagecoach:metadata";
/** One lazy group and nothing around it that can also eat spaces, so a huge body cannot make this slow. */
const BLOCK = /<!--\s*stagecoach:metadata\b([\s\S]*?)-->/g;
const RESTORE = "Restore the block from the pull request's edit history, or close it and promote again.";

/**
 * The metadata as an HTML comment: invisible on GitHub, kept by edits around it. `<` and `>` are
 * written as JSON escapes so no value can close the comment early.
 */
export function formatMetadata(metadata: PromotionMetadata, key?: string): string {
  const fields = { version: 1 as const, ...metadata };
  const signed = key === undefined ? fields : { ...fields, signature: sign(fields, key) };
  const json = JSON.stringify(signed).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e");
  return `<!-- ${MARKER} ${json} -->`;
}

/**
 * Reads the metadata back from a pull request body. With `key`, a block without a valid
 * signature is refused as tampered: anyone who may edit the body could otherwise redirect it.
 */
export function parseMetadata(body: string | null | undefined, key?: string): ParsedMetadata {
  const blocks = [...(body ?? "").matchAll(BLOCK)];
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
  const { signature, version: _version, ...metadata } = parsed.data;
  if (key !== undefined && !(signature !== undefined && sameDigest(signature, sign({ version: 1, ...metadata }, key)))) {
    return { ok: false, reason: "tampered", message: `The \`${MARKER}\` block was changed after Stagecoach wrote it. ${RESTORE}` };
  }
  return { ok: true, metadata };
}

/** Signs the fields in a fixed order, so the signature does not depend on how the JSON was laid out. */
function sign(fields: { version: 1 } & PromotionMetadata, key: string): string {
  const { version, project, stage, freight, alias, warehouse, promotion } = fields;
  const canonical = JSON.stringify([version, project, stage, freight, alias ?? null, warehouse, promotion]);
  return createHmac("sha256", key).update(canonical).digest("hex");
}

function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
