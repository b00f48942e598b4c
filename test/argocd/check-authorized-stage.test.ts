import { describe, expect, it } from "vitest";
import { checkAuthorizedStage } from "../../src/argocd/check-authorized-stage.js";
import { gitApp } from "./support/applications.js";

describe("checkAuthorizedStage", () => {
  it.each([
    ["Kargo's annotation", { "kargo.akuity.io/authorized-stage": "shop:prod" }, true],
    ["Stagecoach's annotation", { "stagecoach.dev/authorized-stage": "shop:prod" }, true],
    ["surrounding spaces", { "kargo.akuity.io/authorized-stage": " shop:prod " }, true],
    ["another stage", { "kargo.akuity.io/authorized-stage": "shop:dev" }, false],
    ["another project", { "kargo.akuity.io/authorized-stage": "blog:prod" }, false],
    ["a wildcard, which is not honoured", { "kargo.akuity.io/authorized-stage": "shop:*" }, false],
    ["a look-alike annotation", { "kargo.akuity.io/authorized-stages": "shop:prod" }, false],
    ["no annotation", {}, false],
  ])("%s", (_label, annotations, authorized) => {
    expect(checkAuthorizedStage(gitApp("web", { annotations }), "shop", "prod").authorized).toBe(authorized);
  });

  it("says which annotation to add to which Application", () => {
    const verdict = checkAuthorizedStage(gitApp("web"), "shop", "prod");
    expect(verdict).toMatchObject({ authorized: false });
    const reason = (verdict as { reason: string }).reason;
    expect(reason).toContain("Argo CD Application argocd/web");
    expect(reason).toContain('kargo.akuity.io/authorized-stage: "shop:prod"');
    expect(reason).toContain("kubectl annotate application -n argocd web kargo.akuity.io/authorized-stage=shop:prod --overwrite");
  });

  it("says which stage the app is authorized for instead", () => {
    const verdict = checkAuthorizedStage(gitApp("web", { annotations: { "stagecoach.dev/authorized-stage": "shop:dev" } }), "shop", "prod");
    expect((verdict as { reason: string }).reason).toContain('authorized for "shop:dev" (stagecoach.dev/authorized-stage)');
  });
});
