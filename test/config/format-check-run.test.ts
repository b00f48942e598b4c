import { describe, expect, it } from "vitest";
import { formatCheckRun, validateProject, type Diagnostic } from "../../src/config/index.js";
import { MAX_ANNOTATIONS } from "../../src/config/format-check-run.js";
import { fixture } from "./support.js";

const diagnostic = (line: number, severity: Diagnostic["severity"] = "error", file = ".github/stagecoach.yml"): Diagnostic => ({ file, line, column: 3, endLine: line, endColumn: 9, severity, message: `problem on ${line}` });

describe("formatCheckRun", () => {
  it("sends at most 50 annotations per request, in order, each batch with the same title and summary", () => {
    const diagnostics = Array.from({ length: 120 }, (_, i) => diagnostic(i + 1, i % 2 ? "warning" : "error"));
    const run = formatCheckRun({ diagnostics, valid: false, project: undefined }, { lastGood: { sha: "0123456789abcdef" } });
    expect(run.name).toBe("stagecoach/config");
    expect(run.conclusion).toBe("failure");
    expect(run.outputs.map((o) => o.annotations.length)).toEqual([50, 50, 20]);
    expect(run.outputs.flatMap((o) => o.annotations).map((a) => a.start_line)).toEqual(diagnostics.map((d) => d.line));
    expect(new Set(run.outputs.map((o) => o.title))).toEqual(new Set(["Config has 60 errors and 60 warnings"]));
    expect(run.outputs[0]?.summary).toContain("keeps running the last good config (from 0123456)");
    expect(run.outputs[0]?.annotations[0]).toEqual({ path: ".github/stagecoach.yml", start_line: 1, end_line: 1, start_column: 3, end_column: 9, annotation_level: "failure", message: "problem on 1" });
    expect(run.outputs[0]?.annotations[1]?.annotation_level).toBe("warning");
  });

  it("drops columns on multi-line annotations and counts other repositories' problems without showing them", () => {
    const multi: Diagnostic = { ...diagnostic(4), endLine: 6 };
    const elsewhere = [diagnostic(2, "error", "acme/.github:.github/stagecoach.yml"), diagnostic(9, "warning", "acme/.github:.github/stagecoach.yml")];
    const run = formatCheckRun({ diagnostics: [multi, ...elsewhere], valid: false, project: undefined });
    expect(run.outputs).toHaveLength(1);
    expect(run.outputs[0]?.title).toBe("Config has 2 errors and 1 warning");
    expect(run.outputs[0]?.annotations).toEqual([{ path: ".github/stagecoach.yml", start_line: 4, end_line: 6, annotation_level: "failure", message: "problem on 4" }]);
    expect(run.outputs[0]?.summary).toContain(
      "- `acme/.github:.github/stagecoach.yml` (read through `_extends`) has 1 error and 1 warning. The owners of acme/.github can see them with `npx stagecoach validate .github/stagecoach.yml` in a checkout of it.",
    );
    expect(run.outputs[0]?.summary).not.toContain("problem on");
  });

  it(`sends at most ${MAX_ANNOTATIONS} annotations, and says how many more there are`, () => {
    const diagnostics = Array.from({ length: 50_000 }, (_, i) => diagnostic(i + 1, "warning"));
    const run = formatCheckRun({ diagnostics, valid: true, project: undefined });
    expect(run.outputs).toHaveLength(MAX_ANNOTATIONS / 50);
    expect(run.outputs[0]?.summary).toContain(`${50_000 - MAX_ANNOTATIONS} more problems are not shown as annotations: run \`npx stagecoach validate .\` in a checkout to see them all.`);
  });

  it("summarises a valid project in one line and succeeds", () => {
    const result = validateProject({ native: [fixture("good/pipeline/.github/stagecoach.yml")] }, { projectName: "x" });
    const run = formatCheckRun(result);
    expect(run.conclusion).toBe("success");
    expect(run.outputs).toEqual([{ title: "Config is valid", summary: "guestbook: 1 warehouses, 3 stages, 0 promotion tasks", annotations: [] }]);
  });
});
