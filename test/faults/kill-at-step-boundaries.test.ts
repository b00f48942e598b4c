import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KILL_POINTS, startFaultHarness, type FaultHarness } from "./support/fault-harness.js";
import { describeOutcome, runFaultScenario, type Fault, type ScenarioOutcome } from "./support/run-fault-scenario.js";

/** Recovery budget from the App being back to the promotion moving again (issue: "recovery under 10 s"). */
const RECOVERY_BUDGET_MS = 10_000;

/**
 * The App on BullMQ, killed with SIGKILL at every step boundary of a promotion (once, and twice in
 * a row), or with its Redis emptied there: every promotion ends with exactly one pull request,
 * one promotion commit, one merge and one deployment, verified, and recovers within the budget.
 */
describe.each<Fault>(["kill once", "kill twice", "flush redis"])("faults: %s at each step boundary", { timeout: 300_000 }, (fault) => {
  let h: FaultHarness;
  const outcomes: ScenarioOutcome[] = [];

  beforeAll(async () => {
    h = await startFaultHarness();
  });
  afterAll(async () => {
    process.stdout.write(`\n${outcomes.map(describeOutcome).join("\n")}\n`);
    await h?.close();
  });

  it.each(KILL_POINTS.map((point) => [point.name, point] as const))("%s: nothing lost, nothing doubled", async (_name, point) => {
    const outcome = await runFaultScenario(h, point, fault);
    outcomes.push(outcome);
    expect({ ...outcome, recoveryMs: undefined }).toEqual({
      scenario: `${fault} ${point.name}`,
      pullRequests: 1,
      merged: 1,
      promotionCommits: 1,
      mergeCommits: 1,
      deployments: 1,
      deploymentSucceeded: true,
      recoveryMs: undefined,
    });
    expect(outcome.recoveryMs).toBeLessThan(RECOVERY_BUDGET_MS);
  });
});
