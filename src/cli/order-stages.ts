/**
 * Where a stage name usually sits in a pipeline. A name matches as a whole (`preprod`) or by its
 * first word (`prod-eu`, `qa_2`). Names that match nothing come after all of these.
 */
const STAGE_RANKS: Readonly<Record<string, number>> = {
  dev: 0,
  develop: 0,
  development: 0,
  test: 1,
  testing: 1,
  qa: 1,
  int: 1,
  integration: 1,
  staging: 2,
  stage: 2,
  stg: 2,
  uat: 2,
  preprod: 2,
  "pre-prod": 2,
  preproduction: 2,
  "pre-production": 2,
  prod: 3,
  production: 3,
  prd: 3,
  live: 3,
};

export interface StageOrder {
  /**
   * Stages in promotion order, grouped: every stage of a group takes freight from the whole
   * previous group (`prod-eu` and `prod-us` both from `staging`), the first group from the warehouse.
   */
  groups: string[][];
  /** Names no rank matched, placed last in alphabetical order. */
  unknown: string[];
}

export function rankOf(name: string): number | undefined {
  const lower = name.toLowerCase();
  return STAGE_RANKS[lower] ?? STAGE_RANKS[lower.split(/[-_.]/, 1)[0]!];
}

/** Orders stages dev → test → staging → prod; each unknown name is a group of its own, alphabetically, at the end. */
export function orderStages(names: string[]): StageOrder {
  const byRank = new Map<number, string[]>();
  const unknown: string[] = [];
  for (const name of [...names].sort()) {
    const rank = rankOf(name);
    if (rank === undefined) unknown.push(name);
    else byRank.set(rank, [...(byRank.get(rank) ?? []), name]);
  }
  const known = [...byRank.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
  return { groups: [...known, ...unknown.map((name) => [name])], unknown };
}
