import semver from "semver";
import { stringify as toYaml } from "yaml";
import { QuotedString } from "./quoted-string.js";
import type { ExpressionContext, FreightReference, JsonObject, JsonValue } from "./types.js";

export type FunctionValue = JsonValue | QuotedString;

/** A function callable from an expression. Throwing an Error turns into an ExpressionError. */
type ExpressionFunction = (context: ExpressionContext, args: FunctionValue[]) => FunctionValue;

/** The functions an expression may call, by name. Adding one is adding a row. */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, ExpressionFunction>> = {
  quote: (_c, args) => {
    const text = displayString(one("quote", args));
    return new QuotedString(text, JSON.stringify(text));
  },
  unsafeQuote: (_c, args) => {
    const text = displayString(one("unsafeQuote", args));
    return new QuotedString(text, `"${text}"`);
  },
  asJSON: (_c, args) => JSON.stringify(plain(one("asJSON", args))),
  asYAML: (_c, args) => toYaml(plain(one("asYAML", args))),
  warehouse: (_c, args) => ({ kind: "Warehouse", name: stringArg("warehouse", args, 0) }),
  imageFrom: (c, args) => {
    const repoURL = stringArg("imageFrom", args, 0);
    const { freight, artifact } = findArtifact(c, "imageFrom", repoURL, args[1], (f) => f.images?.find((i) => i.repoURL === repoURL));
    return { RepoURL: artifact.repoURL, Tag: artifact.tag, Digest: artifact.digest ?? "", Origin: freight.origin };
  },
  commitFrom: (c, args) => {
    const repoURL = stringArg("commitFrom", args, 0);
    const wanted = normaliseGitURL(repoURL);
    const { freight, artifact } = findArtifact(c, "commitFrom", repoURL, args[1], (f) =>
      f.commits?.find((i) => normaliseGitURL(i.repoURL) === wanted),
    );
    return {
      RepoURL: artifact.repoURL,
      ID: artifact.id,
      Branch: artifact.branch ?? "",
      Tag: artifact.tag ?? "",
      Message: artifact.message ?? "",
      Origin: freight.origin,
    };
  },
  chartFrom: (c, args) => {
    const repoURL = stringArg("chartFrom", args, 0);
    const name = typeof args[1] === "string" ? args[1] : undefined;
    const origin = typeof args[1] === "string" ? args[2] : args[1];
    const { freight, artifact } = findArtifact(c, "chartFrom", repoURL, origin, (f) =>
      f.charts?.find((i) => i.repoURL === repoURL && (name === undefined || i.name === name)),
    );
    return { RepoURL: artifact.repoURL, Name: artifact.name ?? "", Version: artifact.version, Origin: freight.origin };
  },
  freightMetadata: (c, args) => {
    const freightName = stringArg("freightMetadata", args, 0);
    const key = stringArg("freightMetadata", args, 1);
    return c.freightMetadata?.[freightName]?.[key] ?? null;
  },
  stageMetadata: (c, args) => {
    // One argument reads the current stage's metadata; two name the stage first.
    const stage = args.length > 1 ? stringArg("stageMetadata", args, 0) : String(c.ctx?.stage ?? "");
    const key = stringArg("stageMetadata", args, args.length > 1 ? 1 : 0);
    return c.stageMetadata?.[stage]?.[key] ?? null;
  },
  semverParse: (_c, args) => {
    const text = stringArg("semverParse", args, 0);
    const parsed = semver.parse(text, { loose: true });
    if (!parsed) throw new Error(`semverParse: "${text}" is not a semantic version (expected e.g. 1.2.3)`);
    return {
      Major: parsed.major,
      Minor: parsed.minor,
      Patch: parsed.patch,
      Prerelease: parsed.prerelease.join("."),
      Metadata: parsed.build.join("."),
      Original: text,
    };
  },
  semverDiff: (_c, args) => semverDifference(stringArg("semverDiff", args, 0), stringArg("semverDiff", args, 1)),
  success: (c) => c.stepStatus?.success() ?? true,
  failure: (c) => c.stepStatus?.failure() ?? false,
  always: () => true,
  status: (c, args) => {
    const alias = stringArg("status", args, 0);
    if (!c.stepStatus) throw new Error("status() is only available in a step's if condition");
    return c.stepStatus.status(alias);
  },
};

/** Turns a QuotedString back into ordinary data (its quoted text) wherever it is consumed. */
export function plain(value: FunctionValue): JsonValue {
  return value instanceof QuotedString ? value.quoted : value;
}

/** How a value reads inside text: strings as-is, structures as JSON, null as nothing. */
export function displayString(value: FunctionValue): string {
  if (value instanceof QuotedString) return value.quoted;
  if (value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function one(name: string, args: FunctionValue[]): FunctionValue {
  if (args.length !== 1) throw new Error(`${name}() takes exactly one argument, got ${args.length}`);
  return args[0] as FunctionValue;
}

function stringArg(name: string, args: FunctionValue[], index: number): string {
  const value = args[index];
  if (typeof value !== "string") {
    throw new Error(`${name}(): argument ${index + 1} must be a string, got ${value === undefined ? "nothing" : JSON.stringify(plain(value))}`);
  }
  return value;
}

function findArtifact<T>(
  context: ExpressionContext,
  name: string,
  repoURL: string,
  origin: FunctionValue | undefined,
  pick: (freight: FreightReference) => T | undefined,
): { freight: FreightReference; artifact: T } {
  const originName = originNameOf(name, origin);
  const matches: { freight: FreightReference; artifact: T }[] = [];
  for (const freight of context.freight ?? []) {
    if (originName !== undefined && freight.origin.name !== originName) continue;
    const artifact = pick(freight);
    if (artifact !== undefined) matches.push({ freight, artifact });
  }
  const [first, second] = matches;
  if (!first) {
    const where = originName === undefined ? "" : ` from warehouse "${originName}"`;
    throw new Error(`${name}("${repoURL}"): no freight being promoted${where} has this artifact; check the repoURL against the warehouse subscription`);
  }
  if (second) {
    throw new Error(`${name}("${repoURL}"): several freight carry this artifact; pass the origin, e.g. ${name}("${repoURL}", warehouse("${second.freight.origin.name}"))`);
  }
  return first;
}

function originNameOf(name: string, origin: FunctionValue | undefined): string | undefined {
  if (origin === undefined || origin === null) return undefined;
  if (typeof origin === "object" && !Array.isArray(origin) && !(origin instanceof QuotedString)) {
    const originName = (origin as JsonObject).name;
    if (typeof originName === "string") return originName;
  }
  throw new Error(`${name}(): the origin must be warehouse("name")`);
}

function normaliseGitURL(url: string): string {
  return url.toLowerCase().replace(/\.git$/, "").replace(/\/$/, "");
}

// Ordered from the most significant part down: the first part that differs names the difference.
const SEMVER_PARTS: ReadonlyArray<{ label: string; read: (v: semver.SemVer) => string }> = [
  { label: "Major", read: (v) => String(v.major) },
  { label: "Minor", read: (v) => String(v.minor) },
  { label: "Patch", read: (v) => String(v.patch) },
  { label: "Prerelease", read: (v) => v.prerelease.join(".") },
  { label: "Metadata", read: (v) => v.build.join(".") },
];

function semverDifference(a: string, b: string): string {
  const left = semver.parse(a, { loose: true });
  const right = semver.parse(b, { loose: true });
  if (!left || !right) return "Incomparable";
  const part = SEMVER_PARTS.find((p) => p.read(left) !== p.read(right));
  return part?.label ?? "None";
}
