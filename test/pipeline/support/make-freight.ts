import type { Freight, FreightStatus } from "../../../src/pipeline/types.js";

/** Freight from the `app` warehouse with one image; `id` is padded to a 40-hex name. */
export function makeFreight(
  id: string,
  alias: string,
  options: { tag?: string; createdAt?: string; status?: FreightStatus; warehouse?: string } = {},
): Freight {
  return {
    name: id.padEnd(40, "0"),
    alias,
    origin: { kind: "Warehouse", name: options.warehouse ?? "app" },
    images: [{ repoURL: "ghcr.io/acme/app", tag: options.tag ?? alias, digest: `sha256:${id.padEnd(64, "0")}` }],
    createdAt: options.createdAt ?? "2026-11-01T00:00:00Z",
    status: options.status ?? {},
  };
}
