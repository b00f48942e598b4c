import { describe, expect, it } from "vitest";
import { validateProject } from "../../../src/config/index.js";
import { checkExpressions } from "../../../src/config/validate/check-expressions.js";
import { lines } from "../support.js";

describe("checkExpressions: calls are checked before anything runs", () => {
  it("refuses an unknown function at its name, with the nearest known one", () => {
    const value = "tag: ${{ imgFrom(vars.repo).Tag }}";
    const { problems } = checkExpressions({ config: { message: value } }, ["steps", 0]);
    expect(problems).toEqual([{ path: ["steps", 0, "config", "message"], offset: value.indexOf("imgFrom"), message: expect.stringMatching(/^unknown function imgFrom\(\) \(did you mean "imageFrom"\?\)/) }]);
  });

  it.each([
    ["${{ quote(1, 2) }}", "quote", /quote\(\) takes 1 argument, got 2/],
    ["${{ semverDiff('1.0.0') }}", "semverDiff", /semverDiff\(\) takes 2 arguments, got 1/],
    ["${{ imageFrom() }}", "imageFrom", /imageFrom\(\) takes 1 to 2 arguments, got 0/],
    ["${{ vars.tags | join(',', 'x') }}", "join", /join\(\) takes 1 to 2 arguments, got 3/],
    ["${{ now(1, 2) }}", "now", /now\(\) takes 0 to 1 arguments, got 2/],
    ["a ${{ 1 }} b ${{ upperr('x') }}", "upperr", /unknown function upperr\(\) \(did you mean "upper"\?\)/],
  ])("%s", (value, name, message) => {
    const { problems } = checkExpressions(value, ["if"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.offset).toBe(value.indexOf(name));
    expect(problems[0]?.message).toMatch(message);
  });

  it("accepts Kargo's functions, expr-lang's built-ins, predicates, pipes and methods", () => {
    const values = [
      "${{ imageFrom(vars.repo, warehouse('app')).Tag }}",
      "${{ vars.tags | filter(# startsWith 'v') | map(upper(#)) | join(',') }}",
      "${{ now().Format('2006-01-02') }}",
      "${{ sortBy(vars.users, .Age, 'desc') }}",
      "${{ reduce(1..3, #acc + #, 0) }}",
      "${{ secret('slack').token }}",
      "${{ freightMetadata(ctx.targetFreight.name, 'ticket') }}",
    ];
    expect(checkExpressions(values, []).problems).toEqual([]);
  });

  it("reports through validate at the file's line and column", () => {
    const text = [
      "warehouses: [{ name: app, subscriptions: [{ image: { repoURL: ghcr.io/acme/app } }] }]",
      "stages:",
      "  - name: dev",
      "    from: app",
      "    steps:",
      "      - uses: file-write",
      "        config:",
      "          path: out/${{ ctx.stage }}.txt",
      '          contents: "${{ uppr(vars.tags) }} tags, ${{ quote() }}"',
    ].join("\n");
    expect(lines(validateProject({ native: [{ path: "x.yml", text }] }, { projectName: "p" }).diagnostics)).toEqual([
      'x.yml:9:26: config.contents: unknown function uppr() (did you mean "upper"?); see docs/expressions.md for the functions',
      "x.yml:9:55: config.contents: quote() takes 1 argument, got 0",
    ]);
  });
});
