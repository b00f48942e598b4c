import { Lexer, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import { parseComment } from "../../src/commands/parse-comment.js";
import type { Freight } from "../../src/pipeline/types.js";
import { parseMetadata } from "../../src/records/promotion-metadata.js";
import { compilePromotionTemplates } from "../../src/render/compile-promotion-templates.js";
import { commandsOnPromotionPullRequest } from "../../src/commands/index.js";
import { renderPromotionPullRequest, withMetadata, type PromotionPullRequestInput } from "../../src/render/render-promotion-pull-request.js";

const freight: Freight = {
  name: "3f2a9c1d".padEnd(40, "0"),
  alias: "wiggly-tuatara",
  origin: { kind: "Warehouse", name: "app" },
  images: [{ repoURL: "docker.io/acme/app", tag: "1.5.0", digest: `sha256:${"ab".repeat(32)}` }],
  commits: [{ repoURL: "git@github.com:acme/app.git", id: "0123456789abcdef0123456789abcdef01234567", branch: "main" }],
  charts: [{ repoURL: "oci://ghcr.io/acme/charts", name: "app", version: "2.1.0" }],
  createdAt: "2026-11-01T00:00:00Z",
  status: {
    verifiedIn: { dev: { verifiedAt: "2026-11-02T10:00:00Z" }, uat: { verifiedAt: "2026-11-03T10:00:00Z" } },
    approvedFor: { prod: { approvedAt: "2026-11-04T00:00:00Z" } },
  },
};
const current: Freight = { ...freight, name: "9".repeat(40), alias: "brave-okapi", images: [{ repoURL: "docker.io/acme/app", tag: "1.4.0" }], charts: [], status: {} };
const input: PromotionPullRequestInput = {
  project: "shop",
  stage: "prod",
  promotionId: "shop/prod/3f2a9c1d",
  freight,
  current,
  requiredApprovals: 2,
  approvers: ["alice", "@acme/release"],
  repository: "acme/shop-config",
  commands: commandsOnPromotionPullRequest("prod"),
};

describe("renderPromotionPullRequest", () => {
  const pr = renderPromotionPullRequest(input);

  it("titles the PR, labels it and names its branch", () => {
    expect(pr.title).toBe("Promote wiggly-tuatara to prod");
    expect(pr.labels).toEqual(["stage:prod", "freight:wiggly-tuatara", "warehouse:app"]);
    // The branch the App really pushes to (git-push's generated branch), named by one function.
    expect(pr.branch).toBe("stagecoach/promotion/shop/prod/3f2a9c1d");
  });

  it("tables every artifact with a link where the host is known", () => {
    const table = new Lexer().lex(pr.body).find((t): t is Tokens.Table => t.type === "table");
    expect(table?.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ["image [`docker.io/acme/app`](https://hub.docker.com/r/acme/app)", "`1.5.0`", `\`sha256:${"ab".repeat(32)}\``],
      ["git `git@github.com:acme/app.git`", "`main`", "[`0123456`](https://github.com/acme/app/commit/0123456789abcdef0123456789abcdef01234567)"],
      ["chart `oci://ghcr.io/acme/charts/app`", "`2.1.0`", ""],
    ]);
  });

  it("summarises the change against what the stage runs", () => {
    expect(pr.body).toContain("### What changes\n- `docker.io/acme/app`: 1.4.0 → **1.5.0**\n- `oci://ghcr.io/acme/charts/app`: **2.1.0**\n");
    expect(pr.body).not.toContain("first promotion");
    expect(renderPromotionPullRequest({ ...input, current: undefined }).body).toContain("This is the first promotion to prod.");
  });

  it("says where the freight is verified and approved", () => {
    expect(pr.body).toContain("- ✅ dev (verified 2026-11-02T10:00:00Z)\n- ✅ uat (verified 2026-11-03T10:00:00Z)\n- 👍 approved for prod by hand");
    const fresh = renderPromotionPullRequest({ ...input, freight: { ...freight, status: {} } });
    expect(fresh.body).toContain("Not verified in any stage yet.");
  });

  it("lists the approvals needed and the commands that apply", () => {
    expect(pr.body).toContain("2 approvals needed, from `alice`, `@acme/release`.");
    expect(renderPromotionPullRequest({ ...input, approvers: [], requiredApprovals: 1 }).body).toContain(
      "1 approval needed, from anyone with write access.",
    );
    expect(renderPromotionPullRequest({ ...input, requiredApprovals: 0 }).body).toContain("no approval is required for this stage");
    for (const usage of ["/abort", "/rollback prod", "/reverify prod", "/status", "/help"]) expect(pr.body).toContain(`- \`${usage}\`: `);
  });

  it("ends, once opened, with a metadata block the parser reads back, bound to its repository and branch", () => {
    const body = withMetadata(pr.body, pr.metadata);
    expect(parseMetadata(body)).toEqual({
      ok: true,
      metadata: { project: "shop", stage: "prod", freight: freight.name, alias: "wiggly-tuatara", warehouse: "app", promotion: "shop/prod/3f2a9c1d", repository: "acme/shop-config", branch: "stagecoach/promotion/shop/prod/3f2a9c1d" },
    });
    expect(parseMetadata(withMetadata(pr.body, pr.metadata, "k"), "k")).toMatchObject({ ok: true });
    expect(parseMetadata(withMetadata(pr.body, pr.metadata), "k")).toMatchObject({ ok: false, reason: "tampered" });
    expect(pr.body).not.toContain("stagecoach:metadata");
  });

  it("carries no command that parseComment would run", () => {
    expect(parseComment(pr.body)).toEqual([]);
  });

  it("falls back to the short ID for freight without an alias and keeps branch names valid", () => {
    const unnamed = renderPromotionPullRequest({ ...input, freight: { ...freight, alias: undefined } });
    expect(unnamed.title).toBe("Promote 3f2a9c1 to prod");
    const odd = renderPromotionPullRequest({ ...input, promotionId: "shop/prod/../ release 1.0~^:" });
    expect(odd.branch).toBe("stagecoach/promotion/shop/prod/-/release-1.0-");
  });

  it("keeps labels within GitHub's 50 characters", () => {
    const long = renderPromotionPullRequest({ ...input, freight: { ...freight, alias: "a".repeat(80) } });
    expect(long.labels.map((l) => l.length)).toEqual([10, 50, 13]);
  });

  it("renders templates from config, and the metadata block stays even if the body drops it", () => {
    const compiled = compilePromotionTemplates(
      { title: "[{{stage}}] {{alias}} & friends\n", body: "Only {{alias}} <b>{{project}}</b>" },
      { title: "stages[2].github.title", body: "stages[2].github.body" },
    );
    if (!compiled.ok) throw new Error(compiled.messages.join("\n"));
    const custom = renderPromotionPullRequest(input, compiled.templates);
    expect(custom.title).toBe("[prod] wiggly-tuatara & friends");
    expect(withMetadata(custom.body, custom.metadata).startsWith("Only wiggly-tuatara <b>shop</b>\n\n<!-- stagecoach:metadata ")).toBe(true);
  });

  it("escapes a hostile value in the body but not in the title", () => {
    const hostile = { ...freight, alias: "<script>x</script>" };
    const rendered = renderPromotionPullRequest({ ...input, freight: hostile });
    expect(rendered.body).not.toContain("<script>");
    expect(rendered.body).toContain("&lt;script&gt;");
    expect(rendered.title).toBe("Promote <script>x</script> to prod");
  });

  it("cuts a runaway title to GitHub's 256 characters", () => {
    const compiled = compilePromotionTemplates({ title: "{{#each images}}{{repoURL}} {{/each}}" }, { title: "t", body: "b" });
    if (!compiled.ok) throw new Error("compile");
    const many = { ...freight, images: Array.from({ length: 40 }, (_, i) => ({ repoURL: `ghcr.io/acme/service-${i}`, tag: "1" })) };
    expect(renderPromotionPullRequest({ ...input, freight: many }, compiled.templates).title).toHaveLength(256);
  });
});
