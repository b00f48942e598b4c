import { stringify as toYaml } from "yaml";
import { describeValue, stringArg } from "./expr-lang/arguments.js";
import type { Evaluation, ExprFunction, FunctionTable } from "./expr-lang/evaluation.js";
import { goJSON, goQuote, toJSONValue } from "./expr-lang/go-text.js";
import { StructValue } from "./expr-lang/struct-value.js";
import type { MapValue, Value } from "./expr-lang/values.js";
import { SemverValue } from "./semver-value.js";
import type { FreightReference } from "../../freight/freight-reference.js";
import type { ExpressionContext, JsonObject, NamedValues } from "./types.js";

const FREIGHT_ORIGIN = "v1alpha1.FreightOrigin";

/**
 * Kargo's expression functions, with the signatures of Kargo's expression reference
 * (docs/docs/50-user-guide/60-reference-docs/40-expressions.md in akuity/kargo). Adding one is
 * adding a row. The quoting functions return text with literal quotes, as Kargo's do: the template
 * step then strips them, which is what keeps a quoted value a string.
 */
export const KARGO_FUNCTIONS: FunctionTable = {
  quote: { arity: [1, 1], call: ([value]) => (typeof value === "string" ? goQuote(value) : `"${goJSON(value ?? null)}"`) },
  unsafeQuote: { arity: [1, 1], call: ([value]) => `"${goJSON(value ?? null)}"` },
  // Go's yaml.v3 sorts map keys and indents by four spaces.
  asYAML: { arity: [1, 1], call: ([value], ev) => ev.text(`"${toYaml(toJSONValue(value ?? null), { indent: 4, sortMapEntries: true, lineWidth: 0 })}"`) },
  asJSON: { arity: [1, 1], call: ([value], ev) => ev.text(`"${goJSON(value ?? null, "  ")}\n"`) },
  warehouse: {
    arity: [1, 1],
    call: (args) => {
      const name = stringArg(args, 0);
      if (name === "") throw new Error("the warehouse name must not be empty");
      return new StructValue(FREIGHT_ORIGIN, [
        { name: "Kind", json: "kind", value: "Warehouse" },
        { name: "Name", json: "name", value: name },
      ]);
    },
  },
  imageFrom: {
    arity: [1, 2],
    call: (args, ev) => {
      const repoURL = stringArg(args, 0);
      const found = findArtifact(ev, "imageFrom", repoURL, args[1], (f) => f.images?.find((i) => i.repoURL === repoURL));
      if (!found) return null;
      const image = found.artifact;
      return new StructValue("v1alpha1.Image", [
        { name: "RepoURL", json: "repoURL", value: image.repoURL },
        { name: "Tag", json: "tag", value: image.tag },
        { name: "Digest", json: "digest", value: image.digest ?? "" },
        { name: "Annotations", json: "annotations", value: {} },
      ]);
    },
  },
  commitFrom: {
    arity: [1, 2],
    call: (args, ev) => {
      const repoURL = stringArg(args, 0);
      const wanted = normaliseGitURL(repoURL);
      const found = findArtifact(ev, "commitFrom", repoURL, args[1], (f) => f.commits?.find((c) => normaliseGitURL(c.repoURL) === wanted));
      if (!found) return null;
      const commit = found.artifact;
      return new StructValue("v1alpha1.GitCommit", [
        { name: "RepoURL", json: "repoURL", value: commit.repoURL },
        { name: "ID", json: "id", value: commit.id },
        { name: "Branch", json: "branch", value: commit.branch ?? "" },
        { name: "Tag", json: "tag", value: commit.tag ?? "" },
        { name: "Message", json: "message", value: commit.message ?? "" },
        { name: "Author", json: "author", value: "" },
        { name: "Committer", json: "committer", value: "" },
      ]);
    },
  },
  chartFrom: {
    arity: [1, 3],
    call: (args, ev) => {
      const repoURL = stringArg(args, 0);
      const name = typeof args[1] === "string" ? args[1] : undefined;
      if (args.length === 3 && name === undefined) throw new Error(`with three arguments the second is the chart name, got ${describeValue(args[1])}`);
      const origin = name === undefined ? args[1] : args[2];
      const found = findArtifact(ev, "chartFrom", repoURL, origin, (f) => f.charts?.find((c) => c.repoURL === repoURL && (name === undefined || c.name === name)));
      if (!found) return null;
      const chart = found.artifact;
      return new StructValue("v1alpha1.Chart", [
        { name: "RepoURL", json: "repoURL", value: chart.repoURL },
        { name: "Name", json: "name", value: chart.name ?? "" },
        { name: "Version", json: "version", value: chart.version },
      ]);
    },
  },
  freightMetadata: {
    arity: [1, 2],
    call: (args, ev) => {
      const metadata: MapValue = ev.context.freightMetadata?.[nonEmpty(args, "freight name")] ?? {};
      if (args.length === 1) return metadata;
      const key = stringArg(args, 1);
      return Object.hasOwn(metadata, key) ? (metadata[key] ?? null) : null;
    },
  },
  freightStatus: {
    arity: [1, 1],
    call: (args, ev) => {
      const name = nonEmpty(args, "freight name");
      if (!ev.context.freightStatus) throw new Error("freight statuses are not available where this expression runs; read metadata with freightMetadata(name)");
      return Object.hasOwn(ev.context.freightStatus, name) ? (ev.context.freightStatus[name] as JsonObject) : null;
    },
  },
  stageMetadata: { arity: [1, 1], call: (args, ev) => ev.context.stageMetadata?.[nonEmpty(args, "stage name")] ?? {} },
  configMap: operatorValues("configMaps", "ConfigMap", false),
  sharedConfigMap: operatorValues("sharedConfigMaps", "shared ConfigMap", false),
  secret: operatorValues("secrets", "secret", true),
  sharedSecret: operatorValues("sharedSecrets", "shared secret", true),
  semverParse: {
    arity: [1, 1],
    call: (args) => {
      const text = stringArg(args, 0);
      const version = SemverValue.parse(text);
      if (!version) throw new Error(`${JSON.stringify(text)} is not a semantic version (expected e.g. 1.2.3 or v1.2.3-rc.1)`);
      return version;
    },
  },
  semverDiff: {
    arity: [2, 2],
    call: (args) => {
      const a = SemverValue.parse(stringArg(args, 0));
      const b = SemverValue.parse(stringArg(args, 1));
      if (!a || !b) return "Incomparable";
      // Kargo's order; a prerelease alone does not count as a difference.
      if (a.major !== b.major) return "Major";
      if (a.minor !== b.minor) return "Minor";
      if (a.patch !== b.patch) return "Patch";
      if (a.metadata !== b.metadata) return "Metadata";
      return "None";
    },
  },
  success: { arity: [0, 0], call: (_args, ev) => ev.context.stepStatus?.success() ?? true },
  failure: { arity: [0, 0], call: (_args, ev) => ev.context.stepStatus?.failure() ?? false },
  always: { arity: [0, 0], call: () => true },
  status: {
    arity: [1, 1],
    call: (args, ev) => {
      const alias = nonEmpty(args, "step alias");
      if (!ev.context.stepStatus) throw new Error("status() is only available in a step's if condition and config");
      return ev.context.stepStatus.status(alias);
    },
  },
};

function nonEmpty(args: Value[], what: string): string {
  const text = stringArg(args, 0);
  if (text === "") throw new Error(`the ${what} must not be empty`);
  return text;
}

type OperatorField = "secrets" | "sharedSecrets" | "configMaps" | "sharedConfigMaps";

/** secret(name) and its kin: a map of the named values, empty when the name is unknown (as in Kargo). */
function operatorValues(field: OperatorField, label: string, secret: boolean): ExprFunction {
  return {
    arity: [1, 1],
    call: (args, ev) => {
      const name = stringArg(args, 0);
      const table: NamedValues | undefined = ev.context[field];
      if (!table) {
        throw new Error(`no ${label} values are configured for this App; the operator provides them in the operator values file (docs/expressions.md), never in the repository`);
      }
      const values = Object.hasOwn(table, name) ? (table[name] as Record<string, string>) : {};
      if (secret) for (const text of Object.values(values)) recordSecret(ev, text);
      return { ...values };
    },
  };
}

function recordSecret(ev: Evaluation, text: string): void {
  if (text === "") return;
  ev.secretsRead.add(text);
  ev.context.revealedSecrets?.add(text);
}

function findArtifact<T>(ev: Evaluation, name: string, repoURL: string, origin: Value | undefined, pick: (freight: FreightReference) => T | undefined): { freight: FreightReference; artifact: T } | undefined {
  const context: ExpressionContext = ev.context;
  const originName = originNameOf(origin);
  const matches: { freight: FreightReference; artifact: T }[] = [];
  for (const freight of context.freight ?? []) {
    if (originName !== undefined && freight.origin.name !== originName) continue;
    const artifact = pick(freight);
    if (artifact !== undefined) matches.push({ freight, artifact });
  }
  const [first, second] = matches;
  if (second && second.freight.origin.name !== first?.freight.origin.name) {
    throw new Error(`several freight could provide ${JSON.stringify(repoURL)}; pass the origin, e.g. ${name}("${repoURL}", warehouse("${second.freight.origin.name}"))`);
  }
  if (!first) {
    const where = originName === undefined ? "" : ` from warehouse "${originName}"`;
    ev.pendingNilReason = `no freight being promoted${where} has ${JSON.stringify(repoURL)}; check the URL against the warehouse's subscriptions`;
  }
  return first;
}

function originNameOf(origin: Value | undefined): string | undefined {
  if (origin === undefined || origin === null) return undefined;
  if (origin instanceof StructValue && origin.typeName === FREIGHT_ORIGIN) return origin.field("Name") as string;
  throw new Error(`the origin must be warehouse("name"), got ${describeValue(origin)}`);
}

function normaliseGitURL(url: string): string {
  return url.toLowerCase().replace(/\.git$/, "").replace(/\/$/, "");
}
