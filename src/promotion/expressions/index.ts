export { ExpressionError } from "./expression-error.js";
export { parseTemplate, hasExpression, type ParsedTemplate, type TemplateSegment } from "./parse-template.js";
export { evaluateTemplate } from "./evaluate-template.js";
export { evaluateValue, ValueExpressionError } from "./evaluate-value.js";
export { EXPRESSION_FUNCTIONS } from "./expression-functions.js";
export type { ExpressionContext, FreightReference, JsonObject, JsonValue, StepStatusView } from "./types.js";
