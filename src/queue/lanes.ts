/**
 * Jobs run in lanes so that a slow or unreachable registry (discovery waits on networks outside
 * GitHub, with retries) never holds up promotions, approvals and commands waiting behind it.
 */
export type Lane = "work" | "discovery";

/** Which lane a job runs in; the job table says (src/jobs/job-table.ts), the drivers only route. */
export type LaneOf = (jobName: string) => Lane;

export const LANES: readonly Lane[] = ["work", "discovery"];

/** How many jobs of a lane one BullMQ worker runs at once. */
export const LANE_CONCURRENCY: Readonly<Record<Lane, number>> = { work: 4, discovery: 2 };
