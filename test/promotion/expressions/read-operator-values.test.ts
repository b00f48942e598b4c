import { describe, expect, it } from "vitest";
import { evaluateTemplate, operatorValuesFor, readOperatorValues } from "../../../src/promotion/expressions/index.js";

const text = `
projects:
  shop:
    secrets:
      slack: { token: xoxb-shop }
    configMaps:
      settings: { repoURL: "https://github.com/acme/gitops" }
  billing:
    secrets:
      slack: { token: xoxb-billing }
shared:
  secrets:
    registry: { username: bot, password: hunter22 }
  configMaps:
    defaults: { region: eu }
`;

describe("readOperatorValues", () => {
  it("reads each project's secrets and ConfigMaps and the shared ones", () => {
    const { values, problems } = readOperatorValues(text);
    expect(problems).toEqual([]);
    expect(operatorValuesFor(values, "shop")).toEqual({
      secrets: { slack: { token: "xoxb-shop" } },
      configMaps: { settings: { repoURL: "https://github.com/acme/gitops" } },
      sharedSecrets: { registry: { username: "bot", password: "hunter22" } },
      sharedConfigMaps: { defaults: { region: "eu" } },
    });
  });

  it("keeps one project's secrets from another's expressions", () => {
    const { values } = readOperatorValues(text);
    expect(evaluateTemplate("${{ secret('slack').token }}", operatorValuesFor(values, "billing"))).toBe("xoxb-billing");
    expect(evaluateTemplate("${{ secret('slack') }}", operatorValuesFor(values, "unknown"))).toEqual({});
    expect(evaluateTemplate("${{ sharedSecret('registry').username }}", operatorValuesFor(values, "unknown"))).toBe("bot");
  });

  it("reads the same shape written as JSON", () => {
    const { values, problems } = readOperatorValues('{"shared": {"configMaps": {"defaults": {"region": "us"}}}}');
    expect(problems).toEqual([]);
    expect(values.shared.configMaps).toEqual({ defaults: { region: "us" } });
    expect(values.projects).toEqual({});
  });

  it("leaves out what is wrong, says where and how to fix it, and never repeats a value", () => {
    const { values, problems } = readOperatorValues(
      [
        "projects:",
        "  shop:",
        "    secretz: { slack: { token: abc } }",
        "    secrets:",
        "      slack: { token: 12345, ok: fine, __proto__: x }",
        "      bad: [1]",
        "  __proto__: {}",
        "extra: 1",
      ].join("\n"),
      "STAGECOACH_OPERATOR_VALUES",
    );
    expect(problems).toEqual([
      'STAGECOACH_OPERATOR_VALUES: "extra" is not a known field; the fields are projects, shared',
      'STAGECOACH_OPERATOR_VALUES: projects.shop: "secretz" is not a known field (did you mean "secrets"?); the fields are secrets, configMaps',
      "STAGECOACH_OPERATOR_VALUES: projects.shop.secrets.slack.token must be a string (quote numbers and booleans); it is left out",
      'STAGECOACH_OPERATOR_VALUES: projects.shop.secrets.slack: "__proto__" cannot be used as a name',
      "STAGECOACH_OPERATOR_VALUES: projects.shop.secrets.bad must be a mapping of names",
      'STAGECOACH_OPERATOR_VALUES: projects: "__proto__" cannot be used as a name',
    ]);
    expect(problems.join("\n")).not.toMatch(/abc|12345|fine/);
    expect(values.projects.shop?.secrets).toEqual({ slack: { ok: "fine" } });
  });

  it.each([
    ["a: [", /operator values is not YAML or JSON \(line 1, column 5\)/],
    ["a: 1\na: 2", /operator values is not YAML or JSON/],
    ["[1, 2]", /operator values must be a mapping of names \(projects, shared\)/],
    ["x".repeat(1_000_001), /operator values is 1000001 characters long; the limit is 1000000/],
    ["a: &a [x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", /not YAML or JSON/],
  ])("refuses %#", (input, message) => {
    const { values, problems } = readOperatorValues(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(values).toEqual({ projects: {}, shared: { secrets: {}, configMaps: {} } });
  });

  it("reads an empty file as no values", () => {
    expect(readOperatorValues("")).toEqual({ values: { projects: {}, shared: { secrets: {}, configMaps: {} } }, problems: [] });
  });
});
