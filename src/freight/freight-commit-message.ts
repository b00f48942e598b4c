import { z } from "zod";
import type { FreightRecord } from "./types.js";

const MARKER = "Stagecoach-Freight: ";

const RecordSchema = z.object({
  name: z.string().regex(/^[0-9a-f]{40}$/),
  alias: z.string().min(1).max(100),
  origin: z.object({ kind: z.string().min(1), name: z.string().min(1) }),
  createdAt: z.string().refine((t) => !Number.isNaN(Date.parse(t))),
  images: z.array(z.object({ repoURL: z.string(), tag: z.string(), digest: z.string().optional() })).optional(),
  commits: z
    .array(z.object({ repoURL: z.string(), id: z.string(), branch: z.string().optional(), tag: z.string().optional(), message: z.string().optional() }))
    .optional(),
  charts: z.array(z.object({ repoURL: z.string(), name: z.string().optional(), version: z.string() })).optional(),
});

/**
 * The commit message of a freight record: a human summary (what `git log` on the freight ref
 * shows), then one trailer line with the record as JSON, which is what the App reads back.
 */
export function renderFreightCommitMessage(freight: Omit<FreightRecord, "commit">): string {
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
  return [`Freight ${freight.alias} (${freight.name.slice(0, 12)}) from ${freight.origin.kind} ${freight.origin.name}`, "", ...lines, "", `${MARKER}${JSON.stringify(record)}`, ""].join("\n");
}

/** The record a freight commit carries, or undefined when the message is not one (or is damaged). */
export function parseFreightCommitMessage(message: string, commit?: string): FreightRecord | undefined {
  const line = message.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(MARKER.length));
  } catch {
    return undefined;
  }
  const parsed = RecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { ...(parsed.data as FreightRecord), ...(commit ? { commit } : {}) };
}
