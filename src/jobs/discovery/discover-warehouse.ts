import type { Clock } from "../../clock.js";
import type { Project } from "../../config/index.js";
import { recordFreight } from "../../github/freight-records.js";
import { publishCheckRun } from "../../github/check-runs.js";
import type { ConfigPointerCache } from "../../github/last-good-config.js";
import type { InstallationOctokit } from "../../github/installations.js";
import { readLastGoodConfig } from "../../github/last-good-config.js";
import type { FreightRecord } from "../../freight/types.js";
import { isAutoPromotionEnabled } from "../../pipeline/is-auto-promotion-enabled.js";
import { decideFreightCandidate, type CandidateDecision } from "../../warehouse/build-freight-candidate.js";
import { discoverWarehouse, type DiscoveryServices, type WarehouseDiscovery } from "../../warehouse/discover-warehouse.js";
import type { JobQueue } from "../../queue/types.js";
import { loadRunningConfig } from "../config/load-running-config.js";
import { requestDashboardRefresh } from "../dashboard/refresh-dashboard.js";
import { warehouseScheduleKey } from "./register-warehouses.js";
import type { Enqueue, JobHandlerOf, JobPayload } from "../job-table.js";

export type DiscoverWarehouseData = JobPayload<"discover-warehouse">;

export interface DiscoveryOutcome {
  owner: string;
  repo: string;
  warehouse: string;
  reason: string;
  discovery: WarehouseDiscovery;
  decision: CandidateDecision;
  freight?: FreightRecord;
  created: boolean;
  /** When the artifacts were known (discovery done), before anything was written to GitHub. */
  discoveredAt: string;
}

export interface DiscoverWarehouseDeps {
  octokitFor(installationId: number): Promise<InstallationOctokit>;
  discoveryServices(octokit: InstallationOctokit): DiscoveryServices;
  schedules: Pick<JobQueue, "removeSchedule">;
  /** A cache of the running config's commit, shared by replicas. */
  store?: ConfigPointerCache;
  enqueue: Enqueue;
  clock: Clock;
  onDiscovered?(outcome: DiscoveryOutcome): void;
}

export const WAREHOUSE_CHECK_PREFIX = "stagecoach/warehouse";

/**
 * Discovers one warehouse and records the freight it yields on GitHub (once: the same artifacts
 * are the same freight). New freight starts promotions into stages that take it directly from this
 * warehouse and have auto-promotion on. Failures are reported as a `stagecoach/warehouse <name>`
 * check run on the running config's commit, then retried with backoff when they are transient;
 * other warehouses are separate jobs and carry on.
 */
export function discoverWarehouseJob(deps: DiscoverWarehouseDeps): JobHandlerOf<"discover-warehouse"> {
  const lastConclusion = new Map<string, string>();
  return async (at, { log }) => {
    const octokit = await deps.octokitFor(at.installationId);
    const project = await loadRunningConfig(octokit, at.owner, at.repo, deps.store);
    const warehouse = project.warehouses.find((w) => w.name === at.warehouse);
    if (!warehouse) {
      await deps.schedules.removeSchedule(warehouseScheduleKey(at, at.warehouse));
      log.info({ owner: at.owner, repo: at.repo, warehouse: at.warehouse }, `warehouse ${at.warehouse} is no longer in the config; its polling stopped`);
      return;
    }
    const discovery = await discoverWarehouse(warehouse, deps.discoveryServices(octokit));
    const decision = decideFreightCandidate(warehouse, discovery);
    const outcome: DiscoveryOutcome = { owner: at.owner, repo: at.repo, warehouse: warehouse.name, reason: at.reason ?? "manual", discovery, decision, created: false, discoveredAt: deps.clock.now().toISOString() };

    if (decision.outcome === "create") {
      const { freight, created } = await recordFreight(octokit, { owner: at.owner, repo: at.repo }, project.name, {
        origin: decision.candidate.origin,
        ...(decision.candidate.images ? { images: decision.candidate.images } : {}),
        ...(decision.candidate.commits ? { commits: decision.candidate.commits } : {}),
        ...(decision.candidate.charts ? { charts: decision.candidate.charts } : {}),
        createdAt: deps.clock.now().toISOString(),
      });
      outcome.freight = freight;
      outcome.created = created;
      if (created) {
        log.info({ owner: at.owner, repo: at.repo, warehouse: warehouse.name, freight: freight.name, alias: freight.alias, reason: at.reason }, `new freight ${freight.alias} from warehouse ${warehouse.name}`);
        await startAutoPromotions(deps, at, project, freight);
        await requestDashboardRefresh(deps, at);
      }
    }

    await reportWhereUsersLook(deps, octokit, at, discovery, lastConclusion);
    deps.onDiscovered?.(outcome);
    const transient = discovery.failures.filter((f) => f.retryable);
    if (transient.length > 0) throw new Error(`discovery of warehouse ${warehouse.name} will be retried: ${transient.map((f) => f.message).join("; ")}`);
  };
}

/** New freight from a warehouse: every stage that takes it directly looks whether to auto-promote it. */
async function startAutoPromotions(deps: DiscoverWarehouseDeps, at: DiscoverWarehouseData, project: Project, freight: FreightRecord): Promise<void> {
  for (const stage of project.stages) {
    const takesDirectly = stage.spec.requestedFreight.some((r) => r.origin.name === freight.origin.name && r.sources.direct);
    if (!takesDirectly || !isAutoPromotionEnabled(project, stage.name)) continue;
    await deps.enqueue(
      "consider-auto-promotion",
      { installationId: at.installationId, owner: at.owner, repo: at.repo, stage: stage.name, reason: `new freight ${freight.alias} from warehouse ${freight.origin.name}` },
      { jobId: `new-freight:${at.owner}/${at.repo}:${stage.name}:${freight.name}` },
    );
  }
}

/** A check run on the running config's commit, published when the warehouse's state there changes. */
async function reportWhereUsersLook(deps: DiscoverWarehouseDeps, octokit: InstallationOctokit, at: DiscoverWarehouseData, discovery: WarehouseDiscovery, last: Map<string, string>): Promise<void> {
  const conclusion = discovery.failures.length > 0 ? "failure" : "success";
  const key = `${at.installationId}/${at.owner}/${at.repo}/${at.warehouse}`;
  const summary =
    conclusion === "failure"
      ? discovery.failures.map((f) => `- ${f.message}${f.retryable ? " (retrying with backoff)" : ""}`).join("\n")
      : discovery.results.map((r) => `- ${r.kind} ${r.repoURL}: ${describeCandidates(r)}`).join("\n");
  const sha = await readLastGoodConfig(octokit, at.owner, at.repo, deps.store);
  if (!sha) return;
  const state = `${sha}:${conclusion}:${summary}`;
  if (last.get(key) === state) return;
  await publishCheckRun(octokit, { owner: at.owner, repo: at.repo, headSha: sha }, {
    name: `${WAREHOUSE_CHECK_PREFIX} ${at.warehouse}`,
    conclusion,
    outputs: [{ title: conclusion === "failure" ? `Warehouse ${at.warehouse}: discovery failed` : `Warehouse ${at.warehouse}: discovery works`, summary: summary || "No subscriptions." }],
  });
  last.set(key, state);
}

function describeCandidates(result: WarehouseDiscovery["results"][number]): string {
  const versions = result.kind === "image" ? result.images.map((i) => i.tag) : result.kind === "git" ? result.commits.map((c) => c.tag ?? c.id.slice(0, 7)) : result.charts.map((c) => c.version);
  if (versions.length === 0) return "nothing matches the subscription yet";
  return `newest ${versions.slice(0, 5).join(", ")}${versions.length > 5 ? ` and ${versions.length - 5} more` : ""}`;
}
