import type { JsonValue } from "../types.js";
import { goText, toJSONValue } from "./go-text.js";
import { isMap, TaggedValue, valuesEqual, type Method, type Value } from "./values.js";

export interface StructField {
  /** The Go field name an expression reads (`Tag`). */
  name: string;
  /** The JSON name Kargo writes (`tag`). */
  json: string;
  value: Value;
}

/**
 * One of Kargo's Go structs (an Image, a GitCommit, a FreightOrigin…): fields are read by their
 * Go names, a misspelt field is an error (as in Kargo), and JSON uses the json names, leaving out
 * empty strings and maps as Go's `omitempty` does.
 */
export class StructValue extends TaggedValue {
  constructor(
    readonly typeName: string,
    private readonly fields: readonly StructField[],
  ) {
    super();
  }

  override method(): Method | undefined {
    return undefined;
  }

  override methodNames(): string[] {
    return [];
  }

  override field(name: string): Value | undefined {
    return this.fields.find((f) => f.name === name)?.value;
  }

  override fieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  override toJSON(): JsonValue {
    const out: Record<string, JsonValue> = {};
    for (const f of this.fields) {
      if (f.value === "" || f.value === null || (isMap(f.value) && Object.keys(f.value).length === 0)) continue;
      out[f.json] = toJSONValue(f.value);
    }
    return out;
  }

  override toText(): string {
    return `{${this.fields.map((f) => goText(f.value)).join(" ")}}`;
  }

  override equals(other: Value): boolean {
    return other instanceof StructValue && other.typeName === this.typeName && this.fields.every((f) => valuesEqual(f.value, other.field(f.name) ?? null));
  }
}
