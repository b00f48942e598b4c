import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import type { FreightReference } from "../freight/freight-reference.js";
import type { PromotionState } from "../promotion/types.js";
import type { GitHubClient, RepoRef } from "./git-data.js";

/** The check run on a promotion pull request's head that carries the promotion's progress. */
export const promotionCheckName = (stage: string) => `stagecoach/promotion ${stage}`;

/**
 * Everything needed to resume a promotion that waits on its pull request, on a replica that has
 * never seen it or after Redis was flushed (DESIGN decision 2). It lives in a check run because
 * only the App that created a check run can change it: nobody can edit it into another promotion.
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

const MARKER = "stagecoach:checkpoint";
const BLOCK = /<!--\s*stagecoach:checkpoint\s([\s\S]*?)-->/;
/** GitHub caps a check run's output.text at 65,535 characters. */
const MAX_TEXT = 65_000;

const CheckpointSchema = z.object({
  promotionId: z.string().min(1),
  project: z.string().min(1),
  stage: z.string().min(1),
  freight: z.looseObject({ name: z.string().regex(/^[0-9a-f]{40}$/), origin: z.object({ kind: z.string(), name: z.string() }) }),
  actor: z.string().optional(),
  configSha: z.string().regex(/^[0-9a-f]{40}$/),
  state: z.looseObject({ id: z.string(), phase: z.string(), currentStep: z.number().int().min(0), steps: z.array(z.looseObject({ alias: z.string(), uses: z.string(), phase: z.string() })) }),
});

/**
 * The key checkpoints are sealed with, derived from the App's webhook secret (every replica has
 * it). A check run is readable by anyone who can read the repository, and step outputs (an http
 * step's answer, say) are not always for their eyes; sealed, only the App can read them back.
 */
export function deriveCheckpointKey(webhookSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", webhookSecret, "stagecoach", "promotion checkpoint v1", 32));
}

function seal(json: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  return `sealed:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")}`;
}

function unseal(text: string, key: Buffer): string | undefined {
  const bytes = Buffer.from(text.slice("sealed:".length), "base64");
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    // Another key (the webhook secret was rotated) or a changed text: not a checkpoint this App can use.
    return undefined;
  }
}

/** The check run's text: the steps for people, then the checkpoint as an HTML comment (hidden when rendered), sealed when a key is given. */
export function formatCheckpoint(checkpoint: PromotionCheckpoint, key?: Buffer): { text: string; complete: boolean } {
  const rows = checkpoint.state.steps.map((s) => `| \`${s.alias}\` | ${s.uses} | ${s.phase} |`);
  const table = ["| step | uses | phase |", "|---|---|---|", ...rows].join("\n");
  const encode = (value: PromotionCheckpoint) => {
    const json = JSON.stringify(value);
    return key ? seal(json, key) : json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("--", "-\\u002d");
  };
  let json = encode(checkpoint);
  let complete = true;
  // Sealing grows the text by a third (base64), so the limit is checked on what is written.
  if (table.length + json.length > MAX_TEXT) {
    // A workspace too big to carry is left out: a resumed run then repeats its steps, which are idempotent.
    const { workspace: _workspace, ...state } = checkpoint.state;
    json = encode({ ...checkpoint, state });
    complete = false;
  }
  return { text: `${table}\n\n<!-- ${MARKER} ${json} -->`, complete };
}

export function parseCheckpoint(text: string | null | undefined, key?: Buffer): PromotionCheckpoint | undefined {
  const match = BLOCK.exec(text ?? "");
  if (!match) return undefined;
  const body = (match[1] as string).trim();
  // With a key, only sealed checkpoints count: a plain one could have been written by anyone who can create check runs.
  const json = key ? (body.startsWith("sealed:") ? unseal(body, key) : undefined) : body;
  if (json === undefined) return undefined;
  try {
    const parsed = CheckpointSchema.safeParse(JSON.parse(json));
    return parsed.success ? (parsed.data as unknown as PromotionCheckpoint) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the checkpoint of a promotion that now waits for its pull request to be merged, as a
 * finished check run on the pull request's head: green means the steps before the merge passed.
 */
export async function writePromotionCheckpoint(client: GitHubClient, repo: RepoRef, headSha: string, checkpoint: PromotionCheckpoint, key?: Buffer): Promise<void> {
  const { text, complete } = formatCheckpoint(checkpoint, key);
  const label = checkpoint.freight.alias ?? checkpoint.freight.name.slice(0, 12);
  const done = checkpoint.state.steps.filter((s) => s.phase === "Succeeded" || s.phase === "Skipped").length;
  await client.request("POST /repos/{owner}/{repo}/check-runs", {
    ...repo,
    name: promotionCheckName(checkpoint.stage),
    head_sha: headSha,
    external_id: checkpoint.promotionId,
    status: "completed",
    conclusion: "success",
    output: {
      title: `${label} → ${checkpoint.stage}: ready to merge`,
      summary: `${done} of ${checkpoint.state.steps.length} steps of promotion \`${checkpoint.promotionId}\` are done; merging this pull request lets the rest run.${complete ? "" : " (Its workspace was too large to record here; if it must be resumed elsewhere, its steps run again.)"}`,
      text,
    },
  });
}

/** The newest checkpoint the App wrote for a stage on a commit; undefined when there is none. */
export async function readPromotionCheckpoint(client: GitHubClient, repo: RepoRef, sha: string, stage: string, appId?: number, key?: Buffer): Promise<PromotionCheckpoint | undefined> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repo,
    ref: sha,
    check_name: promotionCheckName(stage),
    filter: "all",
    per_page: 20,
    ...(appId !== undefined ? { app_id: appId } : {}),
  });
  const runs = (data.check_runs as Array<{ id: number; app?: { id: number } | null; output: { text?: string | null } }>)
    .filter((run) => appId === undefined || !run.app || run.app.id === appId)
    .sort((a, b) => b.id - a.id);
  for (const run of runs) {
    const checkpoint = parseCheckpoint(run.output.text, key);
    if (checkpoint) return checkpoint;
  }
  return undefined;
}
