import type { FreightReference } from "../freight/freight-reference.js";

/** Where freight stands, with Kargo's field names; times are ISO 8601 strings. */
export interface FreightStatus {
  currentlyIn?: Record<string, { since: string }>;
  /** `longestSoak` is the longest completed stretch (ms) the freight stayed in the stage after verification. */
  verifiedIn?: Record<string, { verifiedAt: string; longestSoak?: number }>;
  approvedFor?: Record<string, { approvedAt: string }>;
}

/** Freight as the pipeline logic sees it: `name` is the ID (SHA-1 hex). */
export interface Freight extends FreightReference {
  createdAt: string;
  status: FreightStatus;
}

export type AvailabilityStrategy = "OneOf" | "All";
export type SelectionPolicy = "NewestFreight" | "MatchUpstream";

/** One `requestedFreight[]` entry of a Stage. */
export interface RequestedFreight {
  origin: { kind: string; name: string };
  sources: {
    direct?: boolean;
    stages?: string[];
    /** A duration as Kargo writes it ("1h", "30m"). */
    requiredSoakTime?: string;
    availabilityStrategy?: AvailabilityStrategy;
    autoPromotionOptions?: { selectionPolicy?: SelectionPolicy };
  };
}

/** The parts of a Stage that availability, auto-promotion and permissions read. */
export interface PipelineStage {
  name: string;
  requestedFreight: RequestedFreight[];
  /** A stage with no promotion steps is a control-flow stage: freight passes straight through it. */
  controlFlow?: boolean;
  autoPromotionEnabled?: boolean;
  promoters?: string[];
  approvers?: string[];
  requiredApprovals?: number;
}
