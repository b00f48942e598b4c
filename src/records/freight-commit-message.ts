import { z } from "zod";
import { computeFreightId } from "../freight/compute-freight-id.js";
import type { FreightRecord } from "../freight/types.js";
import { defineRecord, type RecordRead } from "./define-record.js";

/**
 * The commit message of a freight record: a human summary (what `git log` on the freight ref
 * shows), then one trailer line with the record as JSON, which is what the App reads back.
 *
 * Written by the App: one commit per freight on `refs/stagecoach/freight/<project>`, made through
 * the Git Data API (recordFreight). Changed by nobody — a commit cannot change — but anyone who
 * may push to the repository can add commits to that ref, or move it.
 *
 * A message it cannot trust is no freight: listFreight passes over the commit, and the freight is
 * not listed, promoted or shown.
 * - missing (a commit without the trailer, e.g. one pushed by hand): passed over.
 * - malformed (not JSON, a field that does not fit): passed over.
 * - tampered (a name that is not the ID of its artifacts, a second trailer): passed over, so a
 *   freight ID always names the same artifacts, and one freight cannot borrow the verifications
 *   and approvals recorded for another.
 * - written by another App or a person: read like the App's own. The record is not signed, as
 *   the freight recorded before could then not be read; it is worth what the repository's push
 *   access is worth, and whoever may push to the freight ref may push to the branches Argo CD
 *   syncs too.
 * - a rotated key: no key is involved.
 */
const FreightRecordSchema = z.object({
  name: z.string().regex(/^[0-9a-f]{40}$/, "a 40-character freight ID"),
  alias: z.string().min(1).max(100),
  origin: z.object({ kind: z.string().min(1), name: z.string().min(1) }),
  createdAt: z.string().refine((t) => !Number.isNaN(Date.parse(t)), "a date and time"),
  images: z.array(z.object({ repoURL: z.string(), tag: z.string(), digest: z.string().optional() })).optional(),
  commits: z
    .array(z.object({ repoURL: z.string(), id: z.string(), branch: z.string().optional(), tag: z.string().optional(), message: z.string().optional() }))
    .optional(),
  charts: z.array(z.object({ repoURL: z.string(), name: z.string().optional(), version: z.string() })).optional(),
});

const FREIGHT = defineRecord({
  marker: "Stagecoach-Freight",
  frame: "trailer",
  place: "commit message",
  /** Far more than the artifacts of any warehouse; a longer message was not written by the App. */
  budget: 1_048_576,
  schema: FreightRecordSchema,
  protection: "plain",
});

export function formatFreightCommitMessage(freight: Omit<FreightRecord, "commit">): string {
  const lines = [
    ...(freight.images ?? []).map((i) => `image ${i.repoURL}:${i.tag}${i.digest ? `@${i.digest}` : ""}`),
    ...(freight.commits ?? []).map((c) => `commit ${c.repoURL}@${c.id.slice(0, 12)}${c.tag ? ` (${c.tag})` : c.branch ? ` (${c.branch})` : ""}`),
    ...(freight.charts ?? []).map((c) => `chart ${c.repoURL}${c.name ? `/${c.name}` : ""} ${c.version}`),
  ];
  const record = {
    name: freight.name,
    alias: freight.alias,
    origin: freight.origin,
    createdAt: freight.createdAt,
    ...(freight.images?.length ? { images: freight.images } : {}),
    ...(freight.commits?.length ? { commits: freight.commits } : {}),
    ...(freight.charts?.length ? { charts: freight.charts } : {}),
  };
  return [`Freight ${freight.alias} (${freight.name.slice(0, 12)}) from ${freight.origin.kind} ${freight.origin.name}`, "", ...lines, "", FREIGHT.embed(record), ""].join("\n");
}

/** The record a freight commit carries, with the commit it was read from. */
export function parseFreightCommitMessage(message: string, commit?: string): RecordRead<FreightRecord> {
  const read = FREIGHT.read(message);
  if (!read.ok) return read;
  const record = read.value;
  const id = computeFreightId(record.origin, record);
  if (id !== record.name) return FREIGHT.refuse("tampered", `names freight ${record.name}, but its artifacts are freight ${id}`);
  return { ok: true, value: { ...record, ...(commit ? { commit } : {}) } };
}
