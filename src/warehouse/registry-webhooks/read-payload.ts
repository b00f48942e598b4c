import { MAX_PUSHES_PER_NOTIFICATION, PayloadError } from "./types.js";

/** Field access over untrusted JSON: a wrong type is a PayloadError naming the field. */
export function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new PayloadError(`${field} must be an object`);
  return value as Record<string, unknown>;
}

export function stringAt(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 512) throw new PayloadError(`${field} must be a non-empty string`);
  return value;
}

export function optionalStringAt(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : stringAt(value, field);
}

/** A list of at most `max` entries; by default the number of pushes one notification may name. */
export function arrayAt(value: unknown, field: string, max = MAX_PUSHES_PER_NOTIFICATION): unknown[] {
  if (!Array.isArray(value)) throw new PayloadError(`${field} must be a list`);
  if (value.length > max) throw new PayloadError(`${field} has more than ${max} entries`);
  return value;
}
