import { describe, expect, it } from "vitest";
import { summarizeApplyLog } from "../../src/terraform/summarize-apply-log.js";
import { planFixture } from "./support/fixtures.js";

describe("summarizeApplyLog", () => {
  it("reads terraform apply -json into Terraform's own lines and the apply counts", () => {
    const log = summarizeApplyLog(planFixture("mixed.apply.jsonl"));
    expect(log.summary).toEqual({ added: 3, changed: 1, destroyed: 2, imported: 0 });
    expect(log.errors).toEqual([]);
    expect(log.lines[0]).toBe("Terraform 1.11.4");
    expect(log.lines).toContain("terraform_data.replaced: Destruction complete after 0s");
    expect(log.lines.at(-2)).toBe("Apply complete! Resources: 3 added, 1 changed, 2 destroyed.");
    expect(log.lines.at(-1)).toBe("Outputs: 3");
    expect(log.lines.join("\n")).not.toContain("fn.example.invalid");
  });

  it("gives a failed apply's errors with where they are, and no counts", () => {
    const log = summarizeApplyLog(planFixture("failed.apply.jsonl"));
    expect(log.summary).toBeUndefined();
    expect(log.errors).toEqual(["Resource postcondition failed (main.tf line 6)"]);
    expect(log.lines.slice(-2)).toEqual(["Error: Resource postcondition failed (main.tf line 6)", "  The function did not come up with v1."]);
  });

  it("keeps lines that are not JSON as they are", () => {
    expect(summarizeApplyLog('plain text\n["array"]\n{"@message": "ok"}\n').lines).toEqual(["plain text", '["array"]', "ok"]);
  });
});
