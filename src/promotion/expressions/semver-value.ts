import { describeValue } from "./expr-lang/arguments.js";
import { bindMethod, TaggedValue, type Method, type MethodTable, type Value } from "./expr-lang/values.js";
import type { JsonValue } from "./types.js";

// The versions Masterminds/semver's NewVersion accepts (Kargo parses with it): a `v` is allowed, minor and patch may be left out.
const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

const METHODS: MethodTable<SemverValue> = {
  Major: { arity: [0, 0], call: (v) => v.major },
  Minor: { arity: [0, 0], call: (v) => v.minor },
  Patch: { arity: [0, 0], call: (v) => v.patch },
  Prerelease: { arity: [0, 0], call: (v) => v.prerelease },
  Metadata: { arity: [0, 0], call: (v) => v.metadata },
  Original: { arity: [0, 0], call: (v) => v.original },
  String: { arity: [0, 0], call: (v) => v.toText() },
  // Masterminds: a prerelease's IncPatch drops the prerelease and keeps the number.
  IncPatch: { arity: [0, 0], call: (v) => v.next(v.major, v.minor, v.prerelease ? v.patch : v.patch + 1) },
  IncMinor: { arity: [0, 0], call: (v) => v.next(v.major, v.minor + 1, 0) },
  IncMajor: { arity: [0, 0], call: (v) => v.next(v.major + 1, 0, 0) },
  LessThan: { arity: [1, 1], call: (v, args) => v.precedence(versionArg(args)) < 0 },
  GreaterThan: { arity: [1, 1], call: (v, args) => v.precedence(versionArg(args)) > 0 },
  Equal: { arity: [1, 1], call: (v, args) => v.precedence(versionArg(args)) === 0 },
  Compare: { arity: [1, 1], call: (v, args) => v.precedence(versionArg(args)) },
};

/** What semverParse() returns: Masterminds/semver's *Version, read through its methods (`.Minor()`). */
export class SemverValue extends TaggedValue {
  readonly typeName = "*semver.Version";

  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
    readonly prerelease: string,
    readonly metadata: string,
    readonly original: string,
  ) {
    super();
  }

  static parse(text: string): SemverValue | undefined {
    const match = VERSION.exec(text);
    if (!match) return undefined;
    return new SemverValue(Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0), match[4] ?? "", match[5] ?? "", text);
  }

  next(major: number, minor: number, patch: number): SemverValue {
    const version = new SemverValue(major, minor, patch, "", "", "");
    const prefix = this.original.startsWith("v") ? "v" : "";
    return new SemverValue(major, minor, patch, "", "", prefix + version.toText());
  }

  /** Semantic-version precedence: numbers, then a prerelease sorts before its release; metadata is ignored. */
  precedence(other: SemverValue): number {
    const numbers = Math.sign(this.major - other.major) || Math.sign(this.minor - other.minor) || Math.sign(this.patch - other.patch);
    if (numbers !== 0) return numbers;
    if (this.prerelease === other.prerelease) return 0;
    if (this.prerelease === "") return 1;
    if (other.prerelease === "") return -1;
    const a = this.prerelease.split(".");
    const b = other.prerelease.split(".");
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const [x, y] = [a[i], b[i]];
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (x === y) continue;
      const [xNumeric, yNumeric] = [/^\d+$/.test(x), /^\d+$/.test(y)];
      if (xNumeric && yNumeric) return Math.sign(Number(x) - Number(y));
      if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
      return x < y ? -1 : 1;
    }
    return 0;
  }

  override method(name: string): Method | undefined {
    return bindMethod(METHODS, this, name);
  }

  override methodNames(): string[] {
    return Object.keys(METHODS);
  }

  override toJSON(): JsonValue {
    return this.toText();
  }

  override toText(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.prerelease ? `-${this.prerelease}` : ""}${this.metadata ? `+${this.metadata}` : ""}`;
  }

  override equals(other: Value): boolean {
    return other instanceof SemverValue && other.toText() === this.toText() && other.original === this.original;
  }
}

function versionArg(args: Value[]): SemverValue {
  const value = args[0];
  if (!(value instanceof SemverValue)) throw new Error(`argument 1 must be a version from semverParse(…), got ${describeValue(value)}`);
  return value;
}
