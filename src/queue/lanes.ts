/**
 * Jobs run in lanes so that a slow or unreachable registry (discovery waits on networks outside
 * GitHub, with retries) never holds up promotions, approvals and commands waiting behind it.
 */
export type Lane = "work" | "discovery";

const DISCOVERY_JOBS: ReadonlySet<string> = new Set(["discover-warehouse"]);

export function laneOf(jobName: string): Lane {
  return DISCOVERY_JOBS.has(jobName) ? "discovery" : "work";
}

export const LANES: readonly Lane[] = ["work", "discovery"];

/** How many jobs of a lane one BullMQ worker runs at once. */
export const LANE_CONCURRENCY: Readonly<Record<Lane, number>> = { work: 4, discovery: 2 };
