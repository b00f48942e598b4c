import { hkdfSync } from "node:crypto";
import { z } from "zod";
import { FreightReferenceSchema, type FreightReference } from "../freight/freight-reference.js";
import type { PromotionState } from "../promotion/types.js";
import { defineRecord, quoteProse, type CheckRunFacts, type RecordRead } from "./define-record.js";

/**
 * Everything needed to resume a promotion that waits on its pull request, on a replica that has
 * never seen it or after Redis was flushed (DESIGN decision 2).
 *
 * Written by the App, as the text of a finished `stagecoach/promotion <stage>` check run on the
 * promotion pull request's head, when the promotion starts waiting for the merge; sealed with a
 * key derived from the webhook secret, as step outputs (an http step's answer, say) are not for
 * everyone who can read the repository. Changed by nobody else: GitHub lets only the App that
 * created a check run change it, though another App (or a workflow) may create one of that name.
 *
 * A checkpoint it cannot trust is passed over and the next older one read; with none, the
 * promotion is rebuilt from its pull request's metadata and its steps run again from the start
 * (they are idempotent: the push finds its commit, the pull request is found, not opened again).
 * - missing, or malformed (not JSON, fields that do not fit): passed over.
 * - tampered (a sealed text changed, a plain one where the App seals its own, a second block):
 *   passed over.
 * - written by another App (the check run is not this App's): passed over.
 * - sealed before the webhook secret was rotated: it does not open with the new key; passed over.
 */
export interface PromotionCheckpoint {
  promotionId: string;
  project: string;
  stage: string;
  freight: FreightReference;
  actor?: string;
  /** The config commit the promotion's steps came from; the resumed run uses the same steps. */
  configSha: string;
  state: PromotionState;
}

const PromotionPhaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Errored", "Aborted"]);
const StepPhaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Errored", "Skipped", "Aborted"]);
const JsonObjectSchema = z.record(z.string(), z.json());

// Loose objects: a field a newer replica added to the state survives a resume here.
const StepRecordSchema = z.looseObject({
  alias: z.string(),
  uses: z.string(),
  phase: StepPhaseSchema,
  continueOnError: z.boolean(),
  outputs: JsonObjectSchema.optional(),
  message: z.string().optional(),
  errorCount: z.number().int().min(0),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

const PromotionStateSchema = z.looseObject({
  id: z.string(),
  phase: PromotionPhaseSchema,
  message: z.string().optional(),
  currentStep: z.number().int().min(0),
  waiting: z.boolean().optional(),
  steps: z.array(StepRecordSchema),
  workspace: z.json().optional(),
  effects: z.looseObject({ freightAliases: z.record(z.string(), z.string()), freightMetadata: z.record(z.string(), JsonObjectSchema), stageMetadata: z.record(z.string(), JsonObjectSchema) }),
  abortRequested: z.boolean().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});

const PromotionCheckpointSchema: z.ZodType<PromotionCheckpoint> = z.object({
  promotionId: z.string().min(1),
  project: z.string().min(1),
  stage: z.string().min(1),
  freight: FreightReferenceSchema,
  actor: z.string().optional(),
  configSha: z.string().regex(/^[0-9a-f]{40}$/, "a 40-character commit SHA"),
  state: PromotionStateSchema,
});

/** GitHub caps a check run's output.text at 65,535 characters. */
const MAX_TEXT = 65_535;

const CHECKPOINT = defineRecord({
  marker: "stagecoach:checkpoint",
  frame: "comment",
  place: "check run's text",
  budget: MAX_TEXT,
  schema: PromotionCheckpointSchema,
  protection: "sealed",
});

/**
 * The key checkpoints are sealed with, derived from the App's webhook secret (every replica has
 * it). A check run is readable by anyone who can read the repository; sealed, only the App can
 * read a checkpoint back.
 */
export function deriveCheckpointKey(webhookSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", webhookSecret, "stagecoach", "promotion checkpoint v1", 32));
}

/** The check run's text: the steps for people, then the checkpoint as an HTML comment (hidden when rendered), sealed when a key is given. */
export function formatCheckpoint(checkpoint: PromotionCheckpoint, key?: Buffer): { text: string; complete: boolean } {
  const rows = checkpoint.state.steps.map((s) => `| \`${s.alias}\` | ${s.uses} | ${s.phase} |`);
  const table = quoteProse(["| step | uses | phase |", "|---|---|---|", ...rows].join("\n"));
  const text = (value: PromotionCheckpoint) => `${table}\n\n${CHECKPOINT.embed(value, key)}`;
  // Sealing grows the record by a third (base64), so the limit is checked on what is written.
  const full = text(checkpoint);
  if (full.length <= MAX_TEXT) return { text: full, complete: true };
  // A workspace too big to carry is left out: a resumed run then repeats its steps, which are idempotent.
  const { workspace: _workspace, ...state } = checkpoint.state;
  const partial = text({ ...checkpoint, state });
  if (partial.length > MAX_TEXT) {
    throw new Error(`the checkpoint of promotion ${checkpoint.promotionId} is ${partial.length} characters even without its workspace, more than the ${MAX_TEXT} a check run holds: its step outputs are too large to record`);
  }
  return { text: partial, complete: false };
}

/** The checkpoint in a check run; with `appId`, only from a check run of that App; with `key`, only one sealed with it. */
export function parseCheckpoint(run: CheckRunFacts, trust: { key?: Buffer; appId?: number } = {}): RecordRead<PromotionCheckpoint> {
  return CHECKPOINT.readCheckRun(run, trust);
}
