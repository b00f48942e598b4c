import { describe, expect, it } from "vitest";
import { StageSchema } from "../../src/config/model/stage.js";
import { toPipelineStage } from "../../src/pipeline/to-pipeline-stage.js";

describe("toPipelineStage", () => {
  it("carries sources, permission lists and approvals over from a parsed stage", () => {
    const stage = StageSchema.parse({
      name: "prod",
      spec: {
        requestedFreight: [{ origin: { name: "app" }, sources: { stages: ["uat"], requiredSoakTime: "1h" } }],
        promotionTemplate: { spec: { steps: [{ uses: "git-clone" }] } },
        github: { promoters: ["alice", "@acme/release"], approvers: ["carol"], requiredApprovals: 2 },
      },
    });
    expect(toPipelineStage(stage, true)).toEqual({
      name: "prod",
      requestedFreight: [{ origin: { kind: "Warehouse", name: "app" }, sources: { stages: ["uat"], requiredSoakTime: "1h" } }],
      controlFlow: false,
      autoPromotionEnabled: true,
      promoters: ["alice", "@acme/release"],
      approvers: ["carol"],
      requiredApprovals: 2,
    });
  });

  it("treats a stage without steps as control flow", () => {
    const stage = StageSchema.parse({ name: "gate", spec: { requestedFreight: [{ origin: { name: "app" }, sources: { direct: true } }] } });
    expect(toPipelineStage(stage, false)).toMatchObject({ controlFlow: true, autoPromotionEnabled: false, promoters: [] });
  });
});
