import { commandSpec } from "./command-table.js";
import type { Command } from "./types.js";

/** A repository permission as GitHub's collaborator permission API reports it. */
export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface Actor {
  login: string;
  permission: RepoPermission;
  /** The actor's teams as `org/team` slugs. */
  teams: string[];
}

/** A stage's permission lists: users (`alice`, `@alice`) and teams (`acme/release`, `@acme/release`). */
export interface StagePermissions {
  name: string;
  promoters?: string[];
  approvers?: string[];
}

export type Authorization = { allowed: true } | { allowed: false; message: string };

const CAN_WRITE: Record<RepoPermission, boolean> = {
  admin: true,
  maintain: true,
  write: true,
  triage: false,
  read: false,
  none: false,
};

/**
 * Decides whether an actor may run a command on a stage. Write access is the floor; a stage's
 * `promoters` / `approvers` list narrows it further. A refusal carries the answer to post.
 */
export function authorize(command: Command, actor: Actor, stage: StagePermissions): Authorization {
  const spec = commandSpec(command.name);
  if (spec.permission === "anyone") return { allowed: true };
  const action = spec.describe(command, stage.name);

  if (!CAN_WRITE[actor.permission]) {
    return {
      allowed: false,
      message:
        `@${actor.login} cannot ${action}: it needs write access to this repository ` +
        `and @${actor.login} has ${actor.permission}. Ask someone with write access to run it, ` +
        `or a repository admin to grant you write access.`,
    };
  }

  const field = spec.permission;
  const listed = (stage[field] ?? []).map(normalizeEntry).filter((entry) => entry !== "");
  if (listed.length === 0) return { allowed: true };
  const mine = new Set([actor.login, ...actor.teams].map(normalizeEntry));
  if (listed.some((entry) => mine.has(entry))) return { allowed: true };

  return {
    allowed: false,
    message:
      `@${actor.login} cannot ${action}: only ${joinNames(listed.map((entry) => `@${entry}`))} may. ` +
      `Ask one of them, or add @${actor.login} (or one of your teams) to \`github.${field}\` of stage ` +
      `\`${stage.name}\` in \`.github/stagecoach.yml\`.`,
  };
}

/** GitHub logins and team slugs are case-insensitive; configs write them with or without `@`. */
function normalizeEntry(entry: string): string {
  return entry.trim().replace(/^@/, "").toLowerCase();
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
