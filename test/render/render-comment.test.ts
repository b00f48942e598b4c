import { describe, expect, it } from "vitest";
import { authorize } from "../../src/commands/authorize.js";
import { formatHelp } from "../../src/commands/format-help.js";
import { parseComment } from "../../src/commands/parse-comment.js";
import { renderComment, type CommentKind, type CommentViews } from "../../src/render/render-comment.js";

const promotion = { actor: "alice", stage: "prod", alias: "wiggly-tuatara" };
const views: { [K in CommentKind]: CommentViews[K] } = {
  promoting: { ...promotion, pullRequest: 42 },
  approved: promotion,
  rollingBack: { ...promotion, pullRequest: 43 },
  aborting: promotion,
  reverifying: promotion,
  refused: { message: "@bob cannot promote to prod: only @alice may." },
  invalid: { actor: "bob", message: "`/promote`: missing <stage>. Write it as `/promote <stage> [freight]`." },
  unknown: { actor: "bob", message: "`/deploy` is not a Stagecoach command.", help: formatHelp() },
  help: { help: formatHelp() },
  superseded: { stage: "prod", successor: 44, successorAlias: "brave-okapi" },
  aborted: { stage: "prod", alias: "wiggly-tuatara" },
};

describe("renderComment", () => {
  it.each([
    ["promoting", "@alice Promoting **wiggly-tuatara** to **prod**: #42."],
    ["approved", "@alice Approved **wiggly-tuatara** for **prod**: it is available there now, without verification upstream or soak time."],
    ["rollingBack", "@alice Rolling **prod** back to **wiggly-tuatara**: #43. Auto-promotion is held on prod until someone promotes by hand."],
    ["aborting", "@alice Aborting the promotion of **wiggly-tuatara** to **prod**."],
    ["reverifying", "@alice Verifying **prod** again with **wiggly-tuatara**."],
    ["superseded", "Superseded by #44 (**brave-okapi**) for **prod**: closing this pull request. Nothing from it reached prod."],
    ["aborted", "This pull request was closed without merging, so the promotion of **wiggly-tuatara** to **prod** is **Aborted**. To try again, comment `/promote prod wiggly-tuatara`."],
  ] as const)("%s", (kind, text) => {
    expect(renderComment(kind, views[kind])).toBe(text);
  });

  it("posts a refusal from authorize() as it is, backticks and all", () => {
    const refusal = authorize({ name: "promote", stage: "prod" }, { login: "bob", permission: "write", teams: [] }, { name: "prod", promoters: ["alice"] });
    if (refusal.allowed) throw new Error("expected a refusal");
    expect(renderComment("refused", { message: refusal.message })).toBe(refusal.message);
  });

  it("answers an unknown command with the help table", () => {
    const text = renderComment("unknown", views.unknown);
    expect(text.startsWith("@bob `/deploy` is not a Stagecoach command.\n\n")).toBe(true);
    expect(text).toContain("| `/approve <freight> <stage>` |");
  });

  it("escapes a hostile alias", () => {
    expect(renderComment("promoting", { ...promotion, alias: "<img src=x>" })).toContain("&lt;img src&#x3D;x&gt;");
  });

  it.each(Object.keys(views) as CommentKind[])("the %s comment runs no command if it were read back", (kind) => {
    expect(parseComment(renderComment(kind, views[kind] as never))).toEqual([]);
  });
});
