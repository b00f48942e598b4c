export interface TickedPromotion {
  stage: string;
  freight: string;
}

const CHECKBOX = /^[ \t]*[-*+] \[([ xX])\] <!-- promote:([a-z0-9-]+):([0-9a-f]{40}) -->/gm;

/**
 * The promotions a user just asked for by ticking dashboard checkboxes: boxes ticked in the new
 * body that were there unticked in the old one. A box that was not in the old body is ignored,
 * so pasting ticked boxes into the issue starts nothing.
 */
export function diffTickedCheckboxes(oldBody: string | null | undefined, newBody: string | null | undefined): TickedPromotion[] {
  const before = readBoxes(oldBody);
  const ticked: TickedPromotion[] = [];
  for (const [key, checked] of readBoxes(newBody)) {
    if (!checked || before.get(key) !== false) continue;
    const [stage = "", freight = ""] = key.split(":");
    ticked.push({ stage, freight });
  }
  return ticked;
}

function readBoxes(body: string | null | undefined): Map<string, boolean> {
  const boxes = new Map<string, boolean>();
  for (const [, mark, stage, freight] of (body ?? "").replaceAll("\r\n", "\n").matchAll(CHECKBOX)) {
    boxes.set(`${stage}:${freight}`, mark !== " ");
  }
  return boxes;
}
