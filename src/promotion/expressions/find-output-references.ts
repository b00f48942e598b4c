import { walkNodes, type ExpressionNode } from "./expr-lang/ast.js";
import type { TemplateSegment } from "./parse-template.js";

/**
 * Step aliases an expression reads through `outputs.alias` / `outputs['alias']` (or, inside a
 * task, `task.outputs[...]`), with the offset of the alias in the template.
 */
export function findOutputReferences(segments: readonly TemplateSegment[], inTask: boolean): { alias: string; offset: number }[] {
  const found: { alias: string; offset: number }[] = [];
  const isOutputs = (node: ExpressionNode): boolean =>
    inTask
      ? node.kind === "member" && !node.computed && node.object.kind === "identifier" && node.object.name === "task" && node.property.kind === "string" && node.property.value === "outputs"
      : node.kind === "identifier" && node.name === "outputs";
  for (const segment of segments) {
    if (segment.kind !== "expression") continue;
    walkNodes(segment.node, (node) => {
      if (node.kind !== "member" || !isOutputs(node.object) || node.property.kind !== "string") return;
      // A quoted alias starts one character after its quote.
      found.push({ alias: node.property.value, offset: node.property.offset + (node.computed ? 1 : 0) });
    });
  }
  return found;
}
