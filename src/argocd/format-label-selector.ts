/** Kargo's (and Kubernetes') structured selector, as written in an argocd-update step's `apps[].selector`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }>;
}

const LABEL = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

const OPERATORS: Record<string, (key: string, values: string[]) => string> = {
  In: (key, values) => `${key} in (${values.join(",")})`,
  NotIn: (key, values) => `${key} notin (${values.join(",")})`,
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

/**
 * Renders the selector in the string syntax Argo CD's list endpoint takes. Keys and values are
 * checked against Kubernetes' label syntax so config text cannot smuggle extra requirements in.
 */
export function formatLabelSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    parts.push(`${checkKey(key)}=${checkValue(key, value)}`);
  }
  for (const expression of selector.matchExpressions ?? []) {
    const render = OPERATORS[expression.operator];
    if (!render) throw new Error(`selector.matchExpressions: operator "${expression.operator}" is not one of In, NotIn, Exists, DoesNotExist.`);
    const values = (expression.values ?? []).map((value) => checkValue(expression.key, value));
    if ((expression.operator === "In" || expression.operator === "NotIn") && values.length === 0) {
      throw new Error(`selector.matchExpressions: ${expression.operator} on "${expression.key}" needs at least one value in values[].`);
    }
    parts.push(render(checkKey(expression.key), values));
  }
  if (parts.length === 0) throw new Error("selector needs matchLabels or matchExpressions: an empty selector would match every Application.");
  return parts.join(",");
}

function checkKey(key: string): string {
  if (!LABEL.test(key)) throw new Error(`selector: "${key}" is not a valid label key (letters, digits, '-', '_', '.', optional 'prefix/').`);
  return key;
}

function checkValue(key: string, value: string): string {
  if (typeof value !== "string" || value.length > 63 || !VALUE.test(value)) {
    throw new Error(`selector: the value for "${key}" must be a label value (up to 63 letters, digits, '-', '_', '.'), got ${JSON.stringify(value)}.`);
  }
  return value;
}
