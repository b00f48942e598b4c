import type { FreightReference } from "./freight-reference.js";

export interface FreightOrigin {
  kind: "Warehouse" | string;
  name: string;
}

export type FreightArtifacts = Pick<FreightReference, "images" | "commits" | "charts">;

/**
 * Freight as Stagecoach records it on GitHub: Kargo's fields (`name` is the ID) plus when it was
 * discovered and the commit that records it (its check runs carry per-stage verification).
 */
export interface FreightRecord extends FreightReference {
  alias: string;
  createdAt: string;
  /** The freight commit on `refs/stagecoach/freight/<project>`; undefined before it is recorded. */
  commit?: string;
}
