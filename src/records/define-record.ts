import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { z } from "zod";

/**
 * The one way Stagecoach writes a machine-readable record into text that GitHub keeps (a pull
 * request body, a check run's text, a commit message) and reads it back without trusting that
 * text. Every record goes through here, so these rules hold for all of them:
 *
 * - The record is JSON, escaped for where it sits, so no value can end it early or start another.
 * - Reading looks at no more than the record's budget, and finds a record by one pass from left to
 *   right (an opener, then the first closer after it, never looking back), so no text can make it
 *   slow — a lazy regex would scan to the end again for every unclosed opener.
 * - A text with two records is refused: Stagecoach writes one, so the other was pasted in.
 * - Only what the record's zod schema accepts reaches the caller.
 * - A record may be signed (an HMAC-SHA256 of its fields in a `signature` field: readable by all,
 *   any change shows) or sealed (AES-256-GCM: neither readable nor changeable without the key).
 */

/** Why a record is not used: absent, unreadable, not as its writer left it, or left by someone else. */
export type Distrust = "missing" | "invalid" | "tampered" | "foreign";

export interface RecordRefused {
  ok: false;
  reason: Distrust;
  /** What is wrong and, when the record has one, what to do about it. */
  message: string;
}

export type RecordRead<T> = { ok: true; value: T } | RecordRefused;

/** The key each protection takes: an HMAC key (any string), or a 32-byte AES key. */
interface ProtectionKeys {
  plain: never;
  signed: string;
  sealed: Buffer;
}

export type Protection = keyof ProtectionKeys;

export interface RecordSpec<T, P extends Protection> {
  /** `stagecoach:<name>` in an HTML comment, `Stagecoach-<Name>` as a trailer. */
  marker: string;
  frame: keyof typeof FRAMES;
  /** Where the record sits, for messages: "body", "check run's text", "commit message". */
  place: string;
  /** The most characters read: GitHub's own limit for that text (a longer one did not come from GitHub). */
  budget: number;
  schema: z.ZodType<T>;
  protection: P;
  /** What to do about a record that cannot be used, appended to every message. */
  remedy?: string;
}

/** A check run as GitHub returns it, as far as the record in its text is concerned. */
export interface CheckRunFacts {
  id: number;
  app?: { id: number } | null;
  output: { text?: string | null };
}

export interface RecordFormat<T, K> {
  /** The record as it is written into its text; signed or sealed when a key is given. */
  embed(value: T, key?: K): string;
  /** The record in `text`; with a key, only a record signed or sealed with it. */
  read(text: string | null | undefined, key?: K): RecordRead<T>;
  /**
   * The record in a check run's text. Only the App that created a check run can change it, so
   * with `appId` a check run of any other App (or of none) is refused whatever its text says.
   */
  readCheckRun(run: CheckRunFacts, trust: { appId?: number; key?: K }): RecordRead<T>;
  /** A refusal worded like the others, for what only the record itself can judge (its writer, its own ID). */
  refuse(reason: Distrust, why: string): RecordRefused;
}

interface Frame {
  /** Matches where a record starts; its payload follows the match. */
  opener(marker: string): RegExp;
  closer: string;
  /** Whether a record whose closer is missing runs to the end of the text (a last line) instead of being no record. */
  endsAtEnd: boolean;
  write(marker: string, payload: string): string;
  /** Makes JSON safe to sit in this kind of text (JSON escapes read back as the same value). */
  escape(json: string): string;
  /** How messages show the record, and what they call it. */
  shown(marker: string): string;
  noun: string;
}

const FRAMES = {
  /** Markdown (a pull request body, a check run's text): an HTML comment, which GitHub does not show. */
  comment: {
    opener: (marker) => new RegExp(`<!--\\s*${escapeRegExp(marker)}\\s`, "g"),
    closer: "-->",
    endsAtEnd: false,
    write: (marker, payload) => `<!-- ${marker} ${payload} -->`,
    // Without `<` and `>` no value can close the comment (`-->`, `--!>`) or open another; `--` is
    // escaped too, as older HTML readers end a comment at any `--`.
    escape: (json) => json.replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("--", "-\\u002d"),
    shown: (marker) => `<!-- ${marker} … -->`,
    noun: "block",
  },
  /** A commit message: a git trailer, one line that `git log` shows as it is. */
  trailer: {
    opener: (marker) => new RegExp(`(?:^|\\n)${escapeRegExp(marker)}: `, "g"),
    closer: "\n",
    endsAtEnd: true,
    write: (marker, payload) => `${marker}: ${payload}`,
    // JSON never holds a raw line feed; U+2028 and U+2029 are escaped too, for readers that end lines there.
    escape: (json) => json.replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029"),
    shown: (marker) => `${marker}: …`,
    noun: "line",
  },
} satisfies Record<string, Frame>;

type Opened = { ok: true; json: string } | { ok: false; reason: Distrust; why: string };
type Verified = { ok: true; fields: unknown } | { ok: false; reason: Distrust; why: string };

interface ProtectionRow<K> {
  /** The payload written for the record's JSON. */
  close(fields: object, key: K | undefined): string;
  /** The JSON inside a payload. */
  open(payload: string, key: K | undefined): Opened;
  /** The fields the schema sees, once whatever proves the record is checked against them (after the schema accepted them). */
  split(json: unknown): { fields: unknown; proof?: unknown };
  verify(fields: unknown, proof: unknown, key: K | undefined): Verified;
}

const SEALED_PREFIX = "sealed:";
/** 12-byte IV and 16-byte tag before the ciphertext. */
const SEAL_OVERHEAD = 28;

const PROTECTIONS: { [P in Protection]: ProtectionRow<ProtectionKeys[P]> } = {
  plain: {
    close: (fields) => JSON.stringify(fields),
    open: (payload) => ({ ok: true, json: payload }),
    split: (json) => ({ fields: json }),
    verify: (fields) => ({ ok: true, fields }),
  },
  signed: {
    close: (fields, key) => JSON.stringify(key === undefined ? fields : { ...fields, signature: sign(fields, key) }),
    open: (payload) => ({ ok: true, json: payload }),
    split(json) {
      if (json === null || typeof json !== "object" || Array.isArray(json) || !("signature" in json)) return { fields: json };
      const { signature, ...fields } = json as Record<string, unknown>;
      return { fields, proof: signature };
    },
    verify(fields, proof, key) {
      if (key === undefined) return { ok: true, fields };
      const expected = sign(fields as object, key);
      const valid = typeof proof === "string" && proof.length === expected.length && timingSafeEqual(Buffer.from(proof), Buffer.from(expected));
      return valid ? { ok: true, fields } : { ok: false, reason: "tampered", why: "was changed after Stagecoach wrote it, or was not written by this App (or was signed with a webhook secret since rotated)" };
    },
  },
  sealed: {
    close: (fields, key) => (key === undefined ? JSON.stringify(fields) : seal(JSON.stringify(fields), key)),
    open(payload, key) {
      const sealed = payload.startsWith(SEALED_PREFIX);
      if (key === undefined) return sealed ? { ok: false, reason: "invalid", why: "is sealed, and no key to open it was given" } : { ok: true, json: payload };
      // A plain record could have been written by anyone able to write this text; the App seals its own.
      if (!sealed) return { ok: false, reason: "tampered", why: "is not sealed, so Stagecoach did not write it" };
      const json = unseal(payload.slice(SEALED_PREFIX.length), key);
      return json === undefined ? { ok: false, reason: "tampered", why: "does not open with this App's key: it was changed, sealed by another App, or sealed before the webhook secret was rotated" } : { ok: true, json };
    },
    split: (json) => ({ fields: json }),
    verify: (fields) => ({ ok: true, fields }),
  },
};

export function defineRecord<T, P extends Protection>(spec: RecordSpec<T, P>): RecordFormat<T, ProtectionKeys[P]> {
  const frame: Frame = FRAMES[spec.frame];
  const protection = PROTECTIONS[spec.protection] as ProtectionRow<ProtectionKeys[P]>;
  const named = `The \`${spec.marker}\` ${frame.noun}`;
  const refused = (reason: Distrust, text: string): RecordRefused => ({ ok: false, reason, message: spec.remedy ? `${text} ${spec.remedy}` : text });
  const refuse = (reason: Distrust, why: string) => refused(reason, `${named} ${why}.`);

  const format: RecordFormat<T, ProtectionKeys[P]> = {
    embed(value, key) {
      return frame.write(spec.marker, frame.escape(protection.close(value as object, key)));
    },

    read(text, key) {
      const payloads = findPayloads((text ?? "").slice(0, spec.budget), frame, spec.marker);
      const [payload, ...copies] = payloads;
      if (payload === undefined) return refused("missing", `No \`${frame.shown(spec.marker)}\` ${frame.noun} in the ${spec.place}.`);
      if (copies.length > 0) return refused("tampered", `${payloads.length} \`${spec.marker}\` ${frame.noun}s in the ${spec.place}; Stagecoach writes one.`);
      const opened = protection.open(payload.trim(), key);
      if (!opened.ok) return refuse(opened.reason, opened.why);
      let json: unknown;
      try {
        json = JSON.parse(opened.json);
      } catch (error) {
        return refuse("invalid", `is not JSON (${(error as Error).message})`);
      }
      const { fields, proof } = protection.split(json);
      const parsed = spec.schema.safeParse(fields);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || `(${frame.noun})`}: ${i.message}`).join("; ");
        return refuse("invalid", `is not valid: ${problems}`);
      }
      const verified = protection.verify(fields, proof, key);
      return verified.ok ? { ok: true, value: parsed.data } : refuse(verified.reason, verified.why);
    },

    readCheckRun(run, trust) {
      if (trust.appId !== undefined && run.app?.id !== trust.appId) {
        return refuse("foreign", `is in a check run of ${run.app ? `App ${run.app.id}` : "no App"}, not of this App (${trust.appId})`);
      }
      return format.read(run.output.text, trust.key);
    },

    refuse,
  };
  return format;
}

/**
 * Every opener that has a closer after it, in one pass: the search goes on after each closer, and
 * stops at an opener with no closer after it, as no later opener can have one either.
 */
function findPayloads(text: string, frame: Frame, marker: string): string[] {
  const opener = frame.opener(marker);
  const payloads: string[] = [];
  for (let from = 0; ; ) {
    opener.lastIndex = from;
    const open = opener.exec(text);
    if (!open) return payloads;
    const start = open.index + open[0].length;
    const end = text.indexOf(frame.closer, start);
    if (end < 0) {
      if (frame.endsAtEnd) payloads.push(text.slice(start));
      return payloads;
    }
    payloads.push(text.slice(start, end));
    // From the closer itself: a trailer's closing line feed is the next trailer's opening one.
    from = end;
  }
}

/** Signs the fields as JSON with sorted keys, so the signature does not depend on how the JSON was laid out. */
function sign(fields: object, key: string): string {
  return createHmac("sha256", key).update(canonicalJson(fields)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function seal(json: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
  return `${SEALED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")}`;
}

function unseal(base64: string, key: Buffer): string | undefined {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length <= SEAL_OVERHEAD) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, SEAL_OVERHEAD));
    return Buffer.concat([decipher.update(bytes.subarray(SEAL_OVERHEAD)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Prose written beside a record, with any HTML comment opener shown as text: a check name or a
 * step's message from a repository's config cannot pass itself off as a second record.
 */
export function quoteProse(text: string): string {
  return text.replaceAll("<!--", "&lt;!--");
}
