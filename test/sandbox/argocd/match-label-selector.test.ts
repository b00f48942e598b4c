import { describe, expect, it } from "vitest";
import { parseLabelSelector } from "../../../src/sandbox/argocd/match-label-selector.js";

const labels = { app: "web", tier: "front", "acme.dev/team": "shop" };

describe("parseLabelSelector", () => {
  it.each([
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app in (api, web)", true],
    ["app notin (web)", false],
    ["acme.dev/team", true],
    ["!tier", false],
    ["!missing", true],
    ["app=web,tier=back", false],
    ["app=web, tier in (front,back), acme.dev/team=shop", true],
    ["", true],
  ])("%j → %s", (selector, matches) => {
    expect(parseLabelSelector(selector)?.(labels)).toBe(matches);
  });

  it.each(["app in (web", "app=web)", "app in ((web))", "=web", "app=we b", "app ~ web", "app=web,"])("refuses %j", (selector) => {
    expect(parseLabelSelector(selector)).toBeUndefined();
  });
});
