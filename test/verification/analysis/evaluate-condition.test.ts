import { describe, expect, it } from "vitest";
import { evaluateConditions } from "../../../src/verification/analysis/index.js";
import { parseJsonPath, selectJsonPath } from "../../../src/verification/analysis/select-json-path.js";
import { substituteArgs } from "../../../src/verification/analysis/substitute-args.js";

describe("evaluateConditions (Rollouts' EvaluateResult)", () => {
  it("judges by success, failure, both or neither", () => {
    expect(evaluateConditions({}, [0.1])).toEqual({ phase: "Successful" });
    expect(evaluateConditions({ successCondition: "result[0] >= 0.95" }, [0.9])).toEqual({ phase: "Failed" });
    expect(evaluateConditions({ failureCondition: "result[0] > 10" }, [3])).toEqual({ phase: "Successful" });
    expect(evaluateConditions({ successCondition: "result[0] >= 0.9", failureCondition: "result[0] < 0.5" }, [0.7])).toEqual({ phase: "Inconclusive" });
    expect(evaluateConditions({ successCondition: "result[0] >= 0.9", failureCondition: "result[0] >= 0.9" }, [0.95])).toEqual({ phase: "Failed" });
  });

  it("offers Rollouts' helpers: asInt, asFloat, isNaN, isInf, isNil, default", () => {
    expect(evaluateConditions({ successCondition: 'asInt(result) == 42 && asFloat("0.5") == 0.5' }, "42").phase).toBe("Successful");
    expect(evaluateConditions({ successCondition: "isNaN(result[0]) || result[0] >= 0.95" }, [NaN]).phase).toBe("Successful");
    expect(evaluateConditions({ successCondition: "result[0] >= 0.95" }, [NaN]).phase).toBe("Failed");
    expect(evaluateConditions({ successCondition: "isInf(result)" }, Infinity).phase).toBe("Successful");
    expect(evaluateConditions({ successCondition: "default(result, 0) == 0 && isNil(result)" }, null).phase).toBe("Successful");
  });

  it("makes an Error of a condition that cannot be evaluated, saying which and why", () => {
    expect(evaluateConditions({ successCondition: "result[0] >= 0.95" }, [])).toEqual({
      phase: "Error",
      message: 'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider',
    });
    expect(evaluateConditions({ successCondition: "result[0] * 2" }, [1]).message).toBe('could not evaluate successCondition "result[0] * 2": expected bool, but got int');
    expect(evaluateConditions({ failureCondition: "asInt(result) > 1" }, "many").message).toContain('asInt: strconv.ParseInt: parsing "many": invalid syntax');
    expect(evaluateConditions({ successCondition: 'secret("x") == ""' }, 1).message).toContain("secret");
  });

  it("ends a hostile condition within the expression budgets", () => {
    const outcome = evaluateConditions({ successCondition: "len(1..100000000 | map(#)) > 0" }, 1);
    expect(outcome.phase).toBe("Error");
    expect(outcome.message).toMatch(/MAX_/);
  });
});

describe("substituteArgs ({{args.name}} as Rollouts resolves it)", () => {
  const args = new Map([
    ["service-name", "api"],
    ["port", "9090"],
  ]);
  it("replaces placeholders with or without spaces", () => {
    expect(substituteArgs('up{svc="{{args.service-name}}"} and http://p:{{ args.port }}', args)).toBe('up{svc="api"} and http://p:9090');
  });
  it("refuses an unknown arg, another placeholder, or an unclosed one", () => {
    expect(() => substituteArgs("{{args.missing}}", args)).toThrow('failed to resolve {{args.missing}}: no arg "missing"; declare it in spec.args');
    expect(() => substituteArgs("{{ metric.name }}", args)).toThrow("only {{args.name}} is replaced");
    expect(() => substituteArgs("a {{args.port", args)).toThrow('cannot find the end of "{{"');
  });
  it("bounds what substitution builds", () => {
    const big = new Map([["x", "y".repeat(100_000)]]);
    expect(() => substituteArgs("{{args.x}}".repeat(20), big)).toThrow("more than 1000000 characters");
  });
});

describe("the JSONPath subset of web metrics", () => {
  const body = { data: { ok: true, items: [{ v: 1 }, { v: 2 }], "a.b": 3 } };
  const select = (path: string) => selectJsonPath(body, parseJsonPath(path));
  it("reads $, fields, quoted keys, indexes and wildcards (first match)", () => {
    expect(select("{$}")).toEqual({ found: true, value: body });
    expect(select("{.data.ok}")).toEqual({ found: true, value: true });
    expect(select("{$.data['a.b']}")).toEqual({ found: true, value: 3 });
    expect(select("{$.data.items[-1].v}")).toEqual({ found: true, value: 2 });
    expect(select("{$.data.items[*].v}")).toEqual({ found: true, value: 1 });
    expect(selectJsonPath({ list: [] }, parseJsonPath("{$.list[*]}"))).toEqual({ found: false });
  });
  it("refuses what it does not support and what is missing", () => {
    expect(() => parseJsonPath("{$.items[?(@.v > 1)]}")).toThrow("filters ?()");
    expect(() => select("{$.data.items[5]}")).toThrow("array index out of bounds: index 5, length 2");
    expect(() => parseJsonPath(`{$${".a".repeat(101)}}`)).toThrow("more than 100 parts");
  });
});
