/**
 * Kubernetes label-selector strings as Argo CD's list endpoint takes them:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, joined by commas.
 * Returns undefined for a selector it cannot parse, so the server can answer 400.
 */
export function parseLabelSelector(selector: string): ((labels: Record<string, string>) => boolean) | undefined {
  const requirements = splitRequirements(selector.trim());
  if (requirements === undefined) return undefined;
  const tests: Array<(labels: Record<string, string>) => boolean> = [];
  for (const requirement of requirements) {
    const test = parseRequirement(requirement.trim());
    if (!test) return undefined;
    tests.push(test);
  }
  return (labels) => tests.every((test) => test(labels));
}

const KEY = String.raw`[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = String.raw`([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const FORMS: Array<[RegExp, (m: RegExpExecArray) => (labels: Record<string, string>) => boolean]> = [
  [new RegExp(`^(${KEY})\\s*(==|=)\\s*(${VALUE})$`), (m) => (labels) => labels[m[1]!] === m[4]],
  [new RegExp(`^(${KEY})\\s*!=\\s*(${VALUE})$`), (m) => (labels) => labels[m[1]!] !== m[3]],
  [new RegExp(`^(${KEY})\\s+in\\s*\\(([^()]*)\\)$`), (m) => (labels) => values(m[3]!).includes(labels[m[1]!] ?? "\u0000")],
  [new RegExp(`^(${KEY})\\s+notin\\s*\\(([^()]*)\\)$`), (m) => (labels) => !values(m[3]!).includes(labels[m[1]!] ?? "\u0000")],
  [new RegExp(`^!(${KEY})$`), (m) => (labels) => !(m[1]! in labels)],
  [new RegExp(`^(${KEY})$`), (m) => (labels) => m[1]! in labels],
];

function parseRequirement(text: string) {
  for (const [pattern, build] of FORMS) {
    const match = pattern.exec(text);
    if (match) return build(match);
  }
  return undefined;
}

function values(list: string): string[] {
  return list.split(",").map((value) => value.trim());
}

/** Splits on commas outside parentheses. */
function splitRequirements(selector: string): string[] | undefined {
  if (selector === "") return [];
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (depth < 0 || depth > 1) return undefined;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  if (depth !== 0) return undefined;
  parts.push(current);
  return parts;
}
