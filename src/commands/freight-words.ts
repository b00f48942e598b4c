import type { Freight } from "../pipeline/types.js";
import type { FollowUp } from "./types.js";

/** How freight is named in answers: its alias, else a short ID. */
export function freightLabel(freight: { name: string; alias?: string | undefined }): string {
  return freight.alias ?? freight.name.slice(0, 12);
}

/** Freight as a promote job carries it: the reference without status or record fields. */
export function toReference<T extends { createdAt?: string; status?: unknown; commit?: string }>(freight: T): Omit<T, "createdAt" | "status" | "commit"> {
  const { createdAt: _createdAt, status: _status, commit: _commit, ...reference } = freight;
  return reference;
}

/** The promotion a person asked for (a /promote, a /rollback, a ticked box), as a follow-up the job layer queues. */
export function personsPromotion(stage: string, freight: Freight, extra: { rollback?: boolean; hold?: { since: string; reason: string } }): FollowUp {
  return { kind: "promote", stage, freight: toReference(freight), ...extra };
}
