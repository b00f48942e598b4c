import { z } from "zod";
import { FreightReferenceSchema } from "../freight/freight-reference.js";
import type { Lane } from "../queue/lanes.js";
import type { EnqueueOptions, EnqueueResult, JobContext } from "../queue/types.js";

/** Where a job happens: the installation, and the repository for every job about one. */
const installation = { installationId: z.number().int().positive() };
const repository = { ...installation, owner: z.string().min(1), repo: z.string().min(1) };
const hold = z.object({ since: z.string(), reason: z.string() });

/**
 * Every job the App runs: its name, the payload it is queued with, and the lane it runs in.
 * The one list of jobs: `enqueue` is typed from it (a wrong name or payload does not compile),
 * payloads are parsed with it when a job is taken (a bad one fails that job, not the worker), and
 * createJobHandlers must give every row a handler.
 */
export const JOB_TABLE = {
  "sync-all-installations": {
    lane: "work",
    payload: z.object({
      /** When the App started (ms), before it took its first delivery. */
      requestedAt: z.number().optional(),
      /** `startup`, or `state-lost` when Redis was found to have lost what it held. */
      reason: z.enum(["startup", "state-lost"]).optional(),
    }),
  },
  "sync-installation": {
    lane: "work",
    payload: z.object({
      ...installation,
      /** The installation event's action, or `startup`. */
      action: z.string().min(1),
      /** Startup syncs: when the App started (ms); a sync begun since then makes this one's registrations redundant. */
      since: z.number().optional(),
    }),
  },
  "recover-repository": { lane: "work", payload: z.object(repository) },
  "check-config": {
    lane: "work",
    payload: z.object({
      ...repository,
      sha: z.string().regex(/^[0-9a-f]{40}$/),
      /** A push to the default branch: a valid config there becomes the one the App runs. */
      onDefaultBranch: z.boolean(),
      /** For a pull request: its number (the job lists its files and checks the config only when it is touched). */
      pullNumber: z.number().int().positive().optional(),
    }),
  },
  "register-warehouses": {
    lane: "work",
    payload: z.object({
      ...repository,
      /** Discover every warehouse at once too (a new or changed config), not only schedule polling. */
      discoverNow: z.boolean().optional(),
    }),
  },
  "discover-warehouse": {
    lane: "discovery",
    payload: z.object({
      ...repository,
      warehouse: z.string().min(1),
      /** `poll`, `config`, `registry:<provider>`, `github:push`…: shown in logs. */
      reason: z.string().optional(),
    }),
  },
  "refresh-subscribers": {
    lane: "work",
    payload: z.object({
      /** Index keys of the artifacts that changed (`image:ghcr.io/acme/app`, `git:https://github.com/acme/src`). */
      keys: z.array(z.string().min(1)).max(1_000),
      /** What told us: `registry:<provider>`, `github:push`, `github:registry_package`. */
      source: z.string().min(1),
      /** The delivery that announced it; with the warehouse it makes the discovery job's ID. */
      deliveryId: z.string().min(1),
      /** How many times this push has already waited for the registrations to be rebuilt. */
      waitedForRebuild: z.number().int().nonnegative().optional(),
    }),
  },
  promote: {
    lane: "work",
    payload: z.object({
      ...repository,
      stage: z.string().min(1),
      freight: FreightReferenceSchema,
      /** The person who asked (a command, a dashboard tick); absent for auto-promotion. */
      actor: z.string().min(1).optional(),
      /** A `/rollback`: Kargo's `ctx.meta.promotion.rollback`. */
      rollback: z.boolean().optional(),
      /** Put an auto-promotion hold on the stage with its deployment (a rollback, older freight by hand). */
      hold: hold.optional(),
      /** Where the person was told "its pull request follows": if none follows, they are told why there. */
      replyTo: z.object({ issueNumber: z.number().int().positive() }).optional(),
      /** Names the request across the job's reschedules (GitHub made it wait); the first job's ID otherwise. */
      requestKey: z.string().min(1).optional(),
    }),
  },
  "resume-promotion": {
    lane: "work",
    payload: z.object({
      ...repository,
      promotionId: z.string().min(1),
      stage: z.string().min(1),
      /** The pull request whose merge or close ends the wait (it says what the promotion is, and where it stood). */
      pullNumber: z.number().int().positive().optional(),
    }),
  },
  "consider-auto-promotion": {
    lane: "work",
    payload: z.object({
      ...repository,
      stage: z.string().min(1),
      /** What made it worth a look (new freight, a verification, a soak that ended): for the log. */
      reason: z.string(),
    }),
  },
  "evaluate-approval": {
    lane: "work",
    payload: z
      .object({
        ...repository,
        /** The pull request, or its head branch (checks and statuses name the branch, not the pull request). */
        pullNumber: z.number().int().positive().optional(),
        headRef: z.string().min(1).optional(),
      })
      .refine((p) => p.pullNumber !== undefined || p.headRef !== undefined, "name the pull request (pullNumber) or its branch (headRef)"),
  },
  "verify-stage": {
    lane: "work",
    payload: z.object({
      ...repository,
      stage: z.string().min(1),
      promotionId: z.string().min(1),
      freight: FreightReferenceSchema,
      /** The commit the promotion landed. */
      sha: z.string().regex(/^[0-9a-f]{40}$/),
      deploymentId: z.number().int().positive().optional(),
      pullRequest: z.number().int().positive().optional(),
    }),
  },
  "continue-verification": {
    lane: "work",
    payload: z.object({
      ...repository,
      /** A workflow run that completed, or a commit whose checks moved. */
      workflowRunId: z.number().int().positive().optional(),
      sha: z.string().optional(),
    }),
  },
  "run-commands": {
    lane: "work",
    payload: z.object({
      ...repository,
      issueNumber: z.number().int().positive(),
      author: z.string().min(1),
      commentId: z.number().int().positive(),
      /** GitHub keeps at most 65,536 characters of a comment; more did not come from GitHub. */
      body: z.string().max(262_144),
      /** Who wrote the comment, and the App it was posted through, as the delivery said. */
      sender: z.object({ login: z.string(), type: z.string() }).optional(),
      viaApp: z.string().nullable().optional(),
    }),
  },
  "promote-from-dashboard": {
    lane: "work",
    payload: z.object({
      ...repository,
      issueNumber: z.number().int().positive(),
      /** The body before and after the edit (GitHub's `changes.body.from` and the issue's body). */
      before: z.string().max(262_144),
      after: z.string().max(262_144),
      editor: z.string().min(1),
      /** Who edited the issue, as the delivery said. */
      sender: z.object({ login: z.string(), type: z.string() }).optional(),
      deliveryId: z.string().min(1),
    }),
  },
  "refresh-dashboard": { lane: "work", payload: z.object(repository) },
} as const satisfies Record<string, { lane: Lane; payload: z.ZodType }>;

export type JobName = keyof typeof JOB_TABLE;
/** What a job is queued with (defaults not yet applied). */
export type JobInput<N extends JobName> = z.input<(typeof JOB_TABLE)[N]["payload"]>;
/** What a job's handler gets: the payload, parsed. */
export type JobPayload<N extends JobName> = z.output<(typeof JOB_TABLE)[N]["payload"]>;

/** Queues a job by name; the name and the payload are checked against the job table when this compiles. */
export type Enqueue = <N extends JobName>(name: N, data: JobInput<N>, options?: EnqueueOptions) => Promise<EnqueueResult>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_TABLE, name);
}

/** The lane a job runs in (slow discovery has its own, so it never holds up promotions and commands). */
export function laneOfJob(name: string): Lane {
  return isJobName(name) ? JOB_TABLE[name].lane : "work";
}

/** The function that runs one job, given its parsed payload. */
export type JobHandlerOf<N extends JobName> = (payload: JobPayload<N>, context: JobContext) => Promise<void>;
