import { z } from "zod";
import { FreightReferenceSchema, type FreightReference } from "../freight/freight-reference.js";
import type { HttpProbe } from "../verification/probe-http.js";
import { defineRecord, quoteProse, type CheckRunFacts, type RecordRead } from "./define-record.js";

/**
 * A verification that is under way, recorded in the text of its check run on the promoted commit:
 * any replica, even after Redis was flushed, finds it there when the event that may end it comes.
 *
 * Written by the App, in the text of the in-progress `stagecoach/verify <stage>` check run it
 * opens on the promoted commit, and written again each time the verification moves on. Changed
 * by nobody else: GitHub lets only the App that created a check run change it, though another App
 * (or a workflow) may create one of that name. Neither signed nor sealed: nothing in it is secret
 * (it repeats the stage's config), check-run ownership is what protects it, and the records
 * written before stay readable.
 *
 * A record it cannot trust is never judged: its check run is left as it is, and
 * `/reverify <stage>` starts a new verification.
 * - missing, malformed, or half-written (naming another check run, or none, as its own): not judged.
 * - tampered (a second block): not judged.
 * - written by another App (the check run is not this App's): not judged.
 * - a rotated key: no key is involved; rotating the webhook secret changes nothing.
 */
export interface PendingVerification {
  promotionId: string;
  stage: string;
  freight: FreightReference;
  /** The commit the promotion landed. */
  sha: string;
  deploymentId?: number;
  pullRequest?: number;
  /** The check run on the promoted commit first, then the one on the freight's record. */
  checkRunIds: number[];
  workflow?: { file: string; runId: number };
  checks: string[];
  http: HttpProbe[];
  startedAt: string;
  soakUntil?: string;
  timeoutAt: string;
}

const HttpProbeSchema = z.object({
  url: z.string(),
  method: z.enum(["GET", "HEAD"]),
  expectStatus: z.array(z.number().int()),
  bodyContains: z.string().optional(),
  timeoutMs: z.number().min(0),
});

const PendingVerificationSchema: z.ZodType<PendingVerification> = z.object({
  promotionId: z.string().min(1),
  stage: z.string().min(1),
  freight: FreightReferenceSchema,
  sha: z.string().regex(/^[0-9a-f]{40}$/, "a 40-character commit SHA"),
  deploymentId: z.number().int().optional(),
  pullRequest: z.number().int().optional(),
  checkRunIds: z.array(z.number().int()),
  workflow: z.object({ file: z.string().min(1), runId: z.number().int() }).optional(),
  checks: z.array(z.string()),
  // Records written before probes existed have none.
  http: z.array(HttpProbeSchema).default([]),
  startedAt: z.string(),
  soakUntil: z.string().optional(),
  timeoutAt: z.string(),
});

const VERIFICATION = defineRecord({
  marker: "stagecoach:verification",
  frame: "comment",
  place: "check run's text",
  /** GitHub caps a check run's output.text at 65,535 characters. */
  budget: 65_535,
  schema: PendingVerificationSchema,
  protection: "plain",
});

/** The check run's text: how far the verification got, for people, then its record (hidden when rendered). */
export function formatVerificationText(pending: PendingVerification, lines: string[]): string {
  return `${quoteProse(lines.join("\n"))}\n\n${VERIFICATION.embed(pending)}`;
}

/** The verification a check run records; with `appId`, only from a check run of that App. */
export function parseVerificationRecord(run: CheckRunFacts, appId?: number): RecordRead<PendingVerification> {
  const read = VERIFICATION.readCheckRun(run, appId === undefined ? {} : { appId });
  if (!read.ok) return read;
  const [own] = read.value.checkRunIds;
  if (own !== run.id) return VERIFICATION.refuse("invalid", `names ${own === undefined ? "no check run" : `check run ${own}`} as its own, not ${run.id}: it was left half-written`);
  return read;
}
