import { describe, expect, it } from "vitest";
import { diffTickedCheckboxes } from "../../src/render/diff-ticked-checkboxes.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const box = (mark: string, stage: string, id: string) => `- [${mark}] <!-- promote:${stage}:${id} --> Promote x to ${stage}`;
const before = ["## dev", box(" ", "dev", A), box(" ", "dev", B), "## prod", box(" ", "prod", A)].join("\n");

describe("diffTickedCheckboxes", () => {
  it.each([
    ["nothing changed", before, []],
    ["one box ticked", before.replace(box(" ", "dev", B), box("x", "dev", B)), [{ stage: "dev", freight: B }]],
    ["a box ticked with a capital X", before.replace(box(" ", "prod", A), box("X", "prod", A)), [{ stage: "prod", freight: A }]],
    [
      "two boxes ticked",
      before.replace(box(" ", "dev", A), box("x", "dev", A)).replace(box(" ", "prod", A), box("x", "prod", A)),
      [
        { stage: "dev", freight: A },
        { stage: "prod", freight: A },
      ],
    ],
    ["a ticked box pasted in that was not there", `${before}\n${box("x", "uat", A)}`, []],
    ["the body emptied", "", []],
    ["a box with a forged short ID", `${before}\n- [x] <!-- promote:dev:abc -->`, []],
    ["Windows line endings", before.replaceAll("\n", "\r\n").replace(box(" ", "dev", B), box("x", "dev", B)), [{ stage: "dev", freight: B }]],
  ])("%s", (_label, after, ticked) => {
    expect(diffTickedCheckboxes(before, after)).toEqual(ticked);
  });

  it("does not repeat a box that was already ticked", () => {
    const ticked = before.replace(box(" ", "dev", A), box("x", "dev", A));
    expect(diffTickedCheckboxes(ticked, ticked)).toEqual([]);
  });

  it("treats a missing old body as having no boxes", () => {
    expect(diffTickedCheckboxes(null, box("x", "dev", A))).toEqual([]);
  });

  it("answers at once for a body of blank lines", () => {
    expect(diffTickedCheckboxes(" \n".repeat(30_000), `${"\n".repeat(60_000)}x`)).toEqual([]);
  });
});
