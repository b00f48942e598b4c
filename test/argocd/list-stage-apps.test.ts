import { describe, expect, it } from "vitest";
import { listStageApps } from "../../src/argocd/list-stage-apps.js";
import type { ProjectStage } from "../../src/config/index.js";

const stage = (steps: Array<{ uses: string; config?: unknown }>) => ({ name: "prod", spec: { requestedFreight: [], promotionTemplate: { spec: { steps } }, github: {} } }) as unknown as ProjectStage;

describe("listStageApps", () => {
  it("names the Applications argocd-update and argocd-wait steps name, once each, in Argo CD's namespace unless given", () => {
    expect(
      listStageApps(stage([
        { uses: "argocd-update", config: { apps: [{ name: "guestbook-prod" }, { name: "api", namespace: "apps" }] } },
        { uses: "argocd-wait", config: { apps: [{ name: "guestbook-prod" }] } },
        { uses: "git-push", config: {} },
      ])),
    ).toEqual([{ name: "guestbook-prod", namespace: "argocd" }, { name: "api", namespace: "apps" }]);
  });

  it("leaves out Applications picked by selector or expression, which only a promotion resolves", () => {
    expect(listStageApps(stage([{ uses: "argocd-update", config: { apps: [{ selector: { matchLabels: { a: "b" } } }, { name: "${{ vars.app }}" }] } }]))).toEqual([]);
    expect(listStageApps(stage([]))).toEqual([]);
  });
});
