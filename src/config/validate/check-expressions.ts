import { ExpressionError, hasExpression, parseTemplate, type TemplateSegment } from "../../promotion/expressions/index.js";
import type { DataPath } from "../diagnostic.js";

export interface ExpressionProblem {
  path: DataPath;
  offset: number;
  message: string;
}

export interface ParsedExpression {
  path: DataPath;
  segments: TemplateSegment[];
}

/** Parses every `${{ }}` in the string values under `value` (keys are never expressions). */
export function checkExpressions(value: unknown, path: DataPath): { problems: ExpressionProblem[]; parsed: ParsedExpression[] } {
  const problems: ExpressionProblem[] = [];
  const parsed: ParsedExpression[] = [];
  const visit = (node: unknown, at: DataPath): void => {
    if (typeof node === "string") {
      if (!hasExpression(node)) return;
      try {
        parsed.push({ path: at, segments: parseTemplate(node).segments });
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.push({ path: at, offset: error.offset, message: error.message });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...at, i]));
    } else if (typeof node === "object" && node !== null) {
      for (const [key, item] of Object.entries(node)) visit(item, [...at, key]);
    }
  };
  visit(value, path);
  return { problems, parsed };
}

interface AstNode {
  type: string;
  [key: string]: unknown;
}

/**
 * Step aliases an expression reads through `outputs.alias` / `outputs['alias']` (or, inside a
 * task, `task.outputs[...]`), with the offset of the reference in the template.
 */
export function findOutputReferences(segments: TemplateSegment[], inTask: boolean): { alias: string; offset: number }[] {
  const found: { alias: string; offset: number }[] = [];
  const isOutputs = (node: AstNode): boolean =>
    inTask
      ? node.type === "MemberExpression" && !node.computed && (node.object as AstNode).type === "Identifier" && (node.object as AstNode).name === "task" && (node.property as AstNode).name === "outputs"
      : node.type === "Identifier" && node.name === "outputs";
  const walk = (node: unknown, segment: { source: string; offset: number }): void => {
    if (typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach((child) => walk(child, segment));
    const ast = node as AstNode;
    if (ast.type === "MemberExpression" && isOutputs(ast.object as AstNode)) {
      const property = ast.property as AstNode;
      const alias = ast.computed ? (property.type === "Literal" && typeof property.value === "string" ? property.value : undefined) : (property.name as string);
      if (alias !== undefined) found.push({ alias, offset: segment.offset + Math.max(0, segment.source.indexOf(alias)) });
    }
    for (const [key, child] of Object.entries(ast)) if (key !== "type") walk(child, segment);
  };
  for (const segment of segments) if (segment.kind === "expression") walk(segment.node, segment);
  return found;
}
