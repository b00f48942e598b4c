import type { Warehouse } from "../config/model/warehouse.js";
import { computeFreightId } from "../freight/compute-freight-id.js";
import type { FreightArtifacts, FreightOrigin } from "../freight/types.js";
import { evaluateTemplate, ExpressionError } from "../promotion/expressions/index.js";
import type { FreightReference } from "../freight/freight-reference.js";
import type { WarehouseDiscovery } from "./discover-warehouse.js";

export interface FreightCandidate extends FreightArtifacts {
  /** The ID Kargo would give these artifacts. */
  name: string;
  origin: FreightOrigin;
}

export type CandidateDecision =
  | { outcome: "create"; candidate: FreightCandidate }
  /** `freightCreationPolicy: Manual`: discovered, shown, not recorded until a person asks. */
  | { outcome: "manual"; candidate: FreightCandidate }
  | { outcome: "skip"; reason: string; candidate?: FreightCandidate };

/**
 * Freight is the newest artifact of every subscription together (as Kargo's automatic creation
 * does); none while any subscription failed or found nothing. `freightCreationCriteria` is a
 * bare expression over the candidate (`imageFrom(...).Tag == chartFrom(...).Version`).
 */
export function decideFreightCandidate(warehouse: Warehouse, discovery: WarehouseDiscovery): CandidateDecision {
  if (discovery.failures.length > 0) return { outcome: "skip", reason: discovery.failures.map((f) => f.message).join("; ") };
  const origin = { kind: "Warehouse", name: warehouse.name };
  const artifacts: Required<FreightArtifacts> = { images: [], commits: [], charts: [] };
  for (const result of discovery.results) {
    const newest = result.kind === "image" ? result.images[0] : result.kind === "git" ? result.commits[0] : result.charts[0];
    if (!newest) return { outcome: "skip", reason: `warehouse ${warehouse.name}: ${result.kind} ${result.repoURL} has nothing that matches the subscription yet` };
    if (result.kind === "image") {
      const image = result.images[0]!;
      artifacts.images.push({ repoURL: image.repoURL, tag: image.tag, digest: image.digest });
    } else if (result.kind === "git") {
      const { repoURL, id, branch, tag, message } = result.commits[0]!;
      artifacts.commits.push({ repoURL, id, ...(branch ? { branch } : {}), ...(tag ? { tag } : {}), ...(message ? { message } : {}) });
    } else {
      const { repoURL, name, version } = result.charts[0]!;
      artifacts.charts.push({ repoURL, ...(name ? { name } : {}), version });
    }
  }
  const candidate: FreightCandidate = {
    name: computeFreightId(origin, artifacts),
    origin,
    ...(artifacts.images.length ? { images: artifacts.images } : {}),
    ...(artifacts.commits.length ? { commits: artifacts.commits } : {}),
    ...(artifacts.charts.length ? { charts: artifacts.charts } : {}),
  };
  const expression = warehouse.spec.freightCreationCriteria?.expression;
  if (expression) {
    const field = `warehouse ${warehouse.name}, spec.freightCreationCriteria.expression`;
    const reference: FreightReference = { ...candidate };
    let verdict;
    try {
      verdict = evaluateTemplate(/^\s*\$\{[{%]/.test(expression) ? expression : `\${{ ${expression} }}`, { freight: [reference] });
    } catch (error) {
      if (error instanceof ExpressionError || error instanceof Error) return { outcome: "skip", reason: `${field}: ${error.message}`, candidate };
      throw error;
    }
    if (verdict !== true && verdict !== "true") return { outcome: "skip", reason: `${field} is false for these artifacts; no freight created`, candidate };
  }
  return warehouse.spec.freightCreationPolicy === "Manual" ? { outcome: "manual", candidate } : { outcome: "create", candidate };
}
