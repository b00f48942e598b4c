import type { Freight } from "../../pipeline/types.js";
import type { CommandDeps, CommandRequest } from "./types.js";

/** How freight is named in answers: its alias, else a short ID. */
export function freightLabel(freight: { name: string; alias?: string | undefined }): string {
  return freight.alias ?? freight.name.slice(0, 12);
}

/** Freight as a promote job carries it: the reference without status or record fields. */
export function toReference<T extends { createdAt?: string; status?: unknown; commit?: string }>(freight: T): Omit<T, "createdAt" | "status" | "commit"> {
  const { createdAt: _createdAt, status: _status, commit: _commit, ...reference } = freight;
  return reference;
}

/** Queues the promotion a person asked for (a /promote, a /rollback, a ticked box), once per request and stage. */
export async function queuePersonsPromotion(
  deps: CommandDeps,
  request: CommandRequest,
  stage: string,
  freight: Freight,
  extra: { rollback?: boolean; hold?: { since: string; reason: string } },
): Promise<void> {
  await deps.enqueue(
    "promote",
    // replyTo: the person was told "its pull request follows"; if none follows, the promotion says why there.
    { installationId: request.installationId, owner: request.owner, repo: request.repo, stage, freight: toReference(freight), actor: request.author, replyTo: { issueNumber: request.issueNumber }, ...extra },
    { jobId: `command:${request.requestKey}:${extra.rollback ? "rollback" : "promote"}:${stage}` },
  );
}
