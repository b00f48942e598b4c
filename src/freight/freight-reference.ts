import { z } from "zod";

/**
 * One artifact combination a promotion moves, as jobs carry it and expressions read it (Kargo's
 * Freight without its status). Parsed wherever it arrives from outside a process: a queued job,
 * a checkpoint.
 */
export const FreightReferenceSchema = z.object({
  name: z.string().regex(/^[0-9a-f]{40}$/, "a 40-character freight ID"),
  alias: z.string().min(1).optional(),
  origin: z.object({ kind: z.string().min(1), name: z.string().min(1) }),
  images: z.array(z.object({ repoURL: z.string(), tag: z.string(), digest: z.string().optional() })).optional(),
  commits: z.array(z.object({ repoURL: z.string(), id: z.string(), branch: z.string().optional(), tag: z.string().optional(), message: z.string().optional() })).optional(),
  charts: z.array(z.object({ repoURL: z.string(), name: z.string().optional(), version: z.string() })).optional(),
});

export type FreightReference = z.infer<typeof FreightReferenceSchema>;
