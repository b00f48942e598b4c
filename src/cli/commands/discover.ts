import { parseArgs } from "node:util";
import { formatDiagnostic } from "../../config/index.js";
import { decideFreightCandidate, type CandidateDecision } from "../../warehouse/build-freight-candidate.js";
import { discoverWarehouse, type WarehouseDiscovery } from "../../warehouse/discover-warehouse.js";
import { createDiscoveryServices } from "../../warehouse/create-discovery-services.js";
import { readCredentials } from "../../warehouse/read-credentials.js";
import { readDiscoveryNetworkPolicy } from "../../network/read-network-policy.js";
import type { CliCommand } from "../command.js";
import { projectNameFor, validatePath } from "../read-project-at-path.js";

const USAGE = [
  "Usage: stagecoach discover [--warehouse NAME] [--json] [--allow-private-networks] PATH",
  "",
  "Runs discovery once for the warehouses in a pipeline config (a checkout, a directory of Kargo",
  "manifests or one file) and prints the freight that would be created: its ID (as Kargo computes",
  "it) and artifacts. Nothing is recorded. Image and chart subscriptions need no GitHub account.",
  "",
  "  --warehouse NAME          only this warehouse",
  "  --json                    print one JSON document instead of text",
  "  --allow-private-networks  let subscriptions reach loopback/private addresses (a local registry)",
  "",
  "Credentials come from STAGECOACH_CREDENTIALS or STAGECOACH_CREDENTIALS_FILE (see docs/warehouses.md).",
  "Exit status: 0 when every warehouse was discovered, 1 when any failed or the config is invalid.",
].join("\n");

export const discoverCommand: CliCommand = {
  summary: "run warehouse discovery once and print the freight that would be created",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { warehouse: { type: "string" }, json: { type: "boolean" }, "allow-private-networks": { type: "boolean" } },
    });
    if (positionals.length !== 1) {
      io.err(`stagecoach discover: give exactly one PATH (a repository checkout, a directory of manifests or a file)\n\n${USAGE}`);
      return 2;
    }
    const path = positionals[0]!;
    const result = await validatePath(path, { projectName: projectNameFor(path) }, io);
    if (!result) return 1;
    if (!result.valid || !result.project) {
      for (const d of result.diagnostics) io.err(formatDiagnostic(d));
      return 1;
    }
    const warehouses = result.project.warehouses.filter((w) => !values.warehouse || w.name === values.warehouse);
    if (values.warehouse && warehouses.length === 0) {
      io.err(`stagecoach discover: no warehouse named "${values.warehouse}"; this config has: ${result.project.warehouses.map((w) => w.name).join(", ") || "none"}`);
      return 2;
    }
    const credentials = readCredentials(process.env);
    for (const problem of credentials.problems) io.err(`warning: ${problem}`);
    const network = values["allow-private-networks"] ? { allowPrivateNetworks: true } : readDiscoveryNetworkPolicy(process.env);
    const serviceSet = createDiscoveryServices({ credentials: credentials.lookup, network });
    const services = serviceSet.standalone();
    try {
      const outcomes = await Promise.all(
        warehouses.map(async (warehouse) => {
          const discovery = await discoverWarehouse(warehouse, services);
          return { discovery, decision: decideFreightCandidate(warehouse, discovery) };
        }),
      );
      if (values.json) io.out(JSON.stringify({ project: result.project.name, warehouses: outcomes.map(toJson) }, null, 2));
      else for (const outcome of outcomes) printText(outcome.discovery, outcome.decision, io);
      return outcomes.some((o) => o.discovery.failures.length > 0) ? 1 : 0;
    } finally {
      await serviceSet.close();
    }
  },
};

function printText(discovery: WarehouseDiscovery, decision: CandidateDecision, io: { out(l: string): void; err(l: string): void }): void {
  for (const failure of discovery.failures) io.err(`error: ${failure.message}`);
  if (decision.outcome === "skip") {
    io.out(`warehouse ${discovery.warehouse}: no freight (${decision.reason})`);
    return;
  }
  const { candidate } = decision;
  const note = decision.outcome === "manual" ? " (freightCreationPolicy: Manual — would wait for a person)" : "";
  io.out(`warehouse ${discovery.warehouse}: freight ${candidate.name}${note}`);
  for (const image of candidate.images ?? []) io.out(`  image  ${image.repoURL}  tag ${image.tag}  digest ${image.digest}`);
  for (const commit of candidate.commits ?? []) io.out(`  commit ${commit.repoURL}  ${commit.id}${commit.tag ? `  tag ${commit.tag}` : commit.branch ? `  branch ${commit.branch}` : ""}`);
  for (const chart of candidate.charts ?? []) io.out(`  chart  ${chart.repoURL}${chart.name ? `  ${chart.name}` : ""}  version ${chart.version}`);
}

function toJson({ discovery, decision }: { discovery: WarehouseDiscovery; decision: CandidateDecision }) {
  return {
    name: discovery.warehouse,
    outcome: decision.outcome,
    ...(decision.outcome === "skip" ? { reason: decision.reason } : {}),
    ...(decision.candidate ? { freight: { id: decision.candidate.name, origin: decision.candidate.origin, images: decision.candidate.images ?? [], commits: decision.candidate.commits ?? [], charts: decision.candidate.charts ?? [] } } : {}),
    discovered: discovery.results,
    failures: discovery.failures,
  };
}
