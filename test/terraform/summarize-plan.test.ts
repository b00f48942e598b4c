import { describe, expect, it } from "vitest";
import { summarizePlan } from "../../src/terraform/summarize-plan.js";
import { planFixture, planJson } from "./support/fixtures.js";

describe("summarizePlan", () => {
  it("counts a real plan the way Terraform's Plan: line does and lists what changes", () => {
    const summary = summarizePlan(planJson("mixed.plan.json"));
    expect(planFixture("mixed.plan.txt")).toContain("Plan: 3 to add, 1 to change, 2 to destroy.");
    expect(summary).toEqual({
      terraformVersion: "1.11.4",
      add: 3,
      change: 1,
      destroy: 2,
      replace: 1,
      import: 0,
      forget: 1,
      resources: [
        { address: "terraform_data.created", action: "create" },
        { address: "terraform_data.deleted", action: "delete", reason: "delete_because_no_resource_config" },
        { address: 'terraform_data.each["red|pipe"]', action: "create" },
        { address: "terraform_data.forgotten", action: "forget", reason: "delete_because_no_resource_config" },
        { address: "terraform_data.replaced", action: "replace", reason: "replace_because_cannot_update" },
        { address: "terraform_data.updated", action: "update" },
      ],
      outputs: [
        { name: "function_url", action: "create" },
        { name: "settings", action: "create" },
        { name: "token", action: "create" },
      ],
      changed: true,
    });
  });

  it("keeps nothing of the plan's values: the sensitive variable in the plan JSON is not in the summary", () => {
    expect(planFixture("mixed.plan.json")).toContain("fixture-token");
    expect(JSON.stringify(summarizePlan(planJson("mixed.plan.json")))).not.toContain("fixture-token");
  });

  it("says a plan with nothing to do changes nothing", () => {
    expect(summarizePlan(planJson("no-changes.plan.json"))).toMatchObject({ add: 0, change: 0, destroy: 0, resources: [], outputs: [], changed: false });
  });

  it("lists moved and imported instances that have nothing else to do", () => {
    const plan = planJson("no-changes.plan.json") as { resource_changes: Record<string, unknown>[] };
    const [first, second] = plan.resource_changes as [Record<string, unknown>, Record<string, unknown>];
    first.previous_address = "terraform_data.old_name";
    (second.change as Record<string, unknown>).importing = { id: "abc" };
    expect(summarizePlan(plan)).toMatchObject({
      import: 1,
      resources: [
        { address: first.address, action: "move", previousAddress: "terraform_data.old_name" },
        { address: second.address, action: "import" },
      ],
    });
  });

  it.each<[string, (plan: Record<string, unknown>) => void, RegExp]>([
    ["a newer major format", (plan) => void (plan.format_version = "2.0"), /cannot read \(format_version: not 1.x, the JSON output format Stagecoach reads\)/],
    ["an unknown action", (plan) => void ((plan.resource_changes as { change: { actions: string[] } }[])[0]!.change.actions = ["explode"]), /planned "explode" for terraform_data.created, an action Stagecoach does not know/],
    ["no actions", (plan) => void ((plan.resource_changes as { change: { actions: string[] } }[])[0]!.change.actions = []), /resource_changes.0.change.actions/],
  ])("refuses %s, naming the field", (_name, spoil, message) => {
    const plan = planJson("mixed.plan.json") as Record<string, unknown>;
    spoil(plan);
    expect(() => summarizePlan(plan)).toThrow(message);
  });
});
