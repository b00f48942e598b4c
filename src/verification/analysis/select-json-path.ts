import type { JsonValue } from "../../promotion/expressions/index.js";

type Segment = { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "all" };

const MAX_PATH_LENGTH = 1_000;
const MAX_SEGMENTS = 100;
const NAME = /^[^.[\]\s'"]+/;

const UNSUPPORTED = "Stagecoach reads the part of Kubernetes JSONPath Rollouts documents: {$}, .field, ['field'], [index] (negative from the end) and [*] or .* (the first match is the result); filters ?(), recursion .., slices, unions and range are not supported";

/**
 * Reads a web metric's `jsonPath` as Argo Rollouts writes it: Kubernetes JSONPath in braces
 * (`{$.data.ok}`, `{.items[0].value}`). Refused at once when it is outside the supported subset,
 * so a template gets the error when it is read rather than on every measurement.
 */
export function parseJsonPath(text: string): Segment[] {
  if (text.length > MAX_PATH_LENGTH) throw new Error(`jsonPath is longer than ${MAX_PATH_LENGTH} characters`);
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) throw new Error(`jsonPath ${JSON.stringify(text)} must be in braces, e.g. {$.data.ok}`);
  let rest = trimmed.slice(1, -1).trim();
  if (rest.startsWith("$")) rest = rest.slice(1);
  const segments: Segment[] = [];
  while (rest !== "") {
    if (segments.length >= MAX_SEGMENTS) throw new Error(`jsonPath has more than ${MAX_SEGMENTS} parts`);
    if (rest.startsWith("..")) throw new Error(`jsonPath ${JSON.stringify(text)}: ${UNSUPPORTED}`);
    if (rest.startsWith(".*")) {
      segments.push({ kind: "all" });
      rest = rest.slice(2);
      continue;
    }
    if (rest.startsWith(".")) {
      const name = NAME.exec(rest.slice(1))?.[0];
      if (!name) throw new Error(`jsonPath ${JSON.stringify(text)}: a field name is missing after "."`);
      segments.push({ kind: "key", key: name });
      rest = rest.slice(1 + name.length);
      continue;
    }
    const bracket = /^\[\s*(?:(\*)|'([^']*)'|"([^"]*)"|(-?\d+))\s*\]/.exec(rest);
    if (!bracket) throw new Error(`jsonPath ${JSON.stringify(text)}: ${UNSUPPORTED}`);
    const [whole, star, single, double, index] = bracket;
    if (star) segments.push({ kind: "all" });
    else if (index !== undefined) segments.push({ kind: "index", index: Number(index) });
    else segments.push({ kind: "key", key: (single ?? double) as string });
    rest = rest.slice(whole.length);
  }
  return segments;
}

/**
 * The value a parsed path selects, as Rollouts' web provider takes it: the first match. A missing
 * field or an index past the end is an error (Rollouts' parser does not allow missing keys); a
 * wildcard over nothing gives no value.
 */
export function selectJsonPath(document: JsonValue, segments: readonly Segment[]): { found: true; value: JsonValue } | { found: false } {
  const first = matches(document, segments, 0).next();
  return first.done ? { found: false } : { found: true, value: first.value };
}

function* matches(value: JsonValue, segments: readonly Segment[], at: number): Generator<JsonValue> {
  const segment = segments[at];
  if (!segment) {
    yield value;
    return;
  }
  if (segment.kind === "all") {
    const children = Array.isArray(value) ? value : value !== null && typeof value === "object" ? Object.values(value) : [];
    for (const child of children) yield* matches(child, segments, at + 1);
    return;
  }
  if (segment.kind === "index") {
    if (!Array.isArray(value)) throw new Error(`[${segment.index}] is not found: the value there is not a list`);
    const index = segment.index < 0 ? value.length + segment.index : segment.index;
    if (index < 0 || index >= value.length) throw new Error(`array index out of bounds: index ${segment.index}, length ${value.length}`);
    yield* matches(value[index] as JsonValue, segments, at + 1);
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, segment.key)) {
    throw new Error(`${segment.key} is not found`);
  }
  yield* matches(value[segment.key] as JsonValue, segments, at + 1);
}
