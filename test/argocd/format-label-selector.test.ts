import { describe, expect, it } from "vitest";
import { formatLabelSelector, type LabelSelector } from "../../src/argocd/format-label-selector.js";
import { parseLabelSelector } from "../../src/sandbox/argocd/match-label-selector.js";

describe("formatLabelSelector", () => {
  it.each<[LabelSelector, string]>([
    [{ matchLabels: { app: "web" } }, "app=web"],
    [{ matchLabels: { "app.kubernetes.io/part-of": "shop", tier: "" } }, "app.kubernetes.io/part-of=shop,tier="],
    [
      {
        matchExpressions: [
          { key: "env", operator: "In", values: ["prod", "prod-eu"] },
          { key: "canary", operator: "NotIn", values: ["true"] },
          { key: "team", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      },
      "env in (prod,prod-eu),canary notin (true),team,!legacy",
    ],
  ])("%j → %s, which Argo CD's selector syntax reads back", (selector, text) => {
    expect(formatLabelSelector(selector)).toBe(text);
    expect(parseLabelSelector(text)).toBeDefined();
  });

  it.each<[LabelSelector, string]>([
    [{ matchLabels: { "app,env": "web" } }, 'selector: "app,env" is not a valid label key'],
    [{ matchLabels: { app: "web,env=prod" } }, 'the value for "app" must be a label value'],
    [{ matchLabels: { app: "x".repeat(64) } }, 'the value for "app" must be a label value'],
    [{ matchExpressions: [{ key: "env", operator: "In", values: [] }] }, 'In on "env" needs at least one value'],
    [{ matchExpressions: [{ key: "env", operator: "Like" as "In", values: ["p"] }] }, 'operator "Like" is not one of In, NotIn, Exists, DoesNotExist'],
    [{ matchExpressions: [{ key: "env", operator: "In", values: ["a) ,x in (b"] }] }, 'the value for "env" must be a label value'],
    [{}, "an empty selector would match every Application"],
  ])("refuses %j", (selector, message) => {
    expect(() => formatLabelSelector(selector)).toThrow(message);
  });
});
