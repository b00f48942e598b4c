import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import * as ajvFormats from "ajv-formats";

/**
 * Checks the sandbox's traffic against GitHub's published OpenAPI description (@octokit/openapi,
 * a development dependency: this module is only loaded when validation is switched on). Only the
 * operations the sandbox implements are extracted from the 70 MB description, and that subset is
 * cached under the OS temp dir keyed by the package version, so later loads take milliseconds.
 */
type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const CACHE_FORMAT = 4;
const COMPONENTS_ID = "https://sandbox.invalid/github-components.json";

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter>; responses: Record<string, unknown>; requestBodies?: Record<string, unknown> };
}

interface CachedSubset {
  operations: Record<string, Operation | undefined>;
  schemas: Record<string, Schema>;
}

/** Inlines parameter, response and request-body references; schema references stay (Ajv resolves them). */
function resolveComponents(operation: Operation, spec: Spec): Operation {
  const follow = <T>(value: T): T => {
    const ref = (value as { $ref?: string } | undefined)?.$ref;
    if (!ref || ref.startsWith("#/components/schemas/")) return value;
    const [, , kind, name] = ref.split("/") as [string, string, keyof Spec["components"], string];
    return follow((spec.components[kind] as Record<string, unknown> | undefined)?.[name] as T);
  };
  return {
    ...operation,
    parameters: operation.parameters?.map(follow),
    requestBody: follow(operation.requestBody),
    responses: Object.fromEntries(Object.entries(operation.responses).map(([status, response]) => [status, follow(response)])),
  };
}

/** Points local `#/components/...` references at the components document registered with Ajv. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `${COMPONENTS_ID}${value}` : rewriteRefs(value)]),
  );
}

const addFormats = (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default;

export class OpenApiChecker {
  private readonly ajv: Ajv;
  private readonly coercing: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(
    private readonly operations: Record<string, Operation | undefined>,
    schemas: Record<string, Schema>,
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    this.coercing = new Ajv({ strict: false, coerceTypes: true });
    for (const ajv of [this.ajv, this.coercing]) {
      ajv.addSchema({ $id: COMPONENTS_ID, components: { schemas: rewriteRefs(adaptNullable(schemas)) } });
      addFormats(ajv);
      // GitHub's own format for "owner/name" strings.
      ajv.addFormat("repo.nwo", /^[^/]+\/[^/]+$/);
    }
  }

  static load(routes: Array<{ method: string; path: string }>): OpenApiChecker {
    const require = createRequire(import.meta.url);
    const packageJsonPath = require.resolve("@octokit/openapi/package.json");
    const version = (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string }).version;
    const keys = routes.map((r) => `${r.method.toLowerCase()} ${r.path}`).sort();
    const digest = createHash("sha1").update(keys.join("\n")).digest("hex").slice(0, 12);
    const cacheDir = join(tmpdir(), "stagecoach-openapi-cache");
    // Bump CACHE_FORMAT when the shape of the cached subset changes.
    const cacheFile = join(cacheDir, `${version}-${CACHE_FORMAT}-${digest}.json`);
    if (existsSync(cacheFile)) {
      const cached = JSON.parse(readFileSync(cacheFile, "utf8")) as CachedSubset;
      return new OpenApiChecker(cached.operations, cached.schemas);
    }

    // The referenced (not the dereferenced) description: the dereferenced file flattens some
    // `anyOf` unions into `allOf`, which no real GitHub answer satisfies.
    const specPath = join(packageJsonPath, "..", "generated", "api.github.com.json");
    const spec = JSON.parse(readFileSync(specPath, "utf8")) as Spec;
    const operations: Record<string, Operation | undefined> = {};
    for (const key of keys) {
      const [method, path] = key.split(" ") as [string, string];
      const operation = spec.paths[path]?.[method];
      operations[key] = operation && resolveComponents(operation, spec);
    }
    const subset: CachedSubset = { operations, schemas: spec.components.schemas };
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(subset));
    return new OpenApiChecker(subset.operations, subset.schemas);
  }

  /** Problems with a request, as sentences; empty when it matches GitHub's description. */
  checkRequest(method: string, path: string, params: Record<string, string>, query: URLSearchParams, body: unknown): string[] {
    const key = `${method.toLowerCase()} ${path}`;
    const operation = this.operations[key];
    if (!operation) return [`${method} ${path} is not an operation in GitHub's REST API description`];
    const problems: string[] = [];
    const declared = operation.parameters ?? [];
    for (const parameter of declared) {
      const value = parameter.in === "path" ? params[parameter.name] : parameter.in === "query" ? query.get(parameter.name) : undefined;
      if (value === undefined || value === null) {
        if (parameter.required && parameter.in !== "header") problems.push(`missing required ${parameter.in} parameter "${parameter.name}"`);
        continue;
      }
      if (parameter.schema) {
        const problem = this.validate(this.coercing, `${key} param ${parameter.name}`, parameter.schema, coerceArray(parameter.schema, value));
        if (problem) problems.push(`${parameter.in} parameter "${parameter.name}" ${problem}`);
      }
    }
    for (const name of query.keys()) {
      if (!declared.some((p) => p.in === "query" && p.name === name)) problems.push(`unknown query parameter "${name}"`);
    }
    const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
    if (body !== undefined && bodySchema) {
      const problem = this.validate(this.ajv, `${key} body`, bodySchema, body);
      if (problem) problems.push(`request body ${problem}`);
    } else if (body === undefined && operation.requestBody?.required) {
      problems.push("request body is required");
    } else if (body !== undefined && !operation.requestBody) {
      problems.push("this operation takes no request body");
    }
    return problems;
  }

  /** Problems with a response; empty when GitHub's description allows it. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[] {
    const key = `${method.toLowerCase()} ${path}`;
    const operation = this.operations[key];
    if (!operation) return [];
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) return [`status ${status} is not a documented response of ${method} ${path}`];
    const schema = response.content?.["application/json"]?.schema;
    if (!schema || body === undefined) return [];
    const problem = this.validate(this.ajv, `${key} ${status}`, schema, body);
    return problem ? [`response ${status} ${problem}`] : [];
  }

  private validate(ajv: Ajv, cacheKey: string, schema: Schema, value: unknown): string | undefined {
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(adaptNullable(schema)) as Schema);
      this.compiled.set(cacheKey, validate);
    }
    if (validate(value)) return undefined;
    const error = validate.errors?.[0];
    return error ? `at "${error.instancePath || "/"}" ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ""}` : "does not match";
  }
}

function coerceArray(schema: Schema, value: string): unknown {
  return schema.type === "array" ? value.split(",") : value;
}

/**
 * OpenAPI 3.0 allows `nullable: true` beside `allOf`/`anyOf` without a `type`; Ajv does not. Rewrite
 * those as "the schema, or null", which is what GitHub means by them.
 */
function adaptNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adaptNullable);
  if (node === null || typeof node !== "object") return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = adaptNullable(value);
  // GitHub's description of GET /app/installations declares the account as a nullable `allOf` of
  // Simple User and Enterprise, which no real answer satisfies; everywhere else that union is `anyOf`.
  if (copy.nullable === true && Array.isArray(copy.allOf) && copy.allOf.length > 1) {
    copy.anyOf = copy.allOf;
    delete copy.allOf;
  }
  // A nullable enum (a check run's `conclusion`) must list null itself for Ajv to accept null.
  if (copy.nullable === true && Array.isArray(copy.enum) && !copy.enum.includes(null)) copy.enum = [...(copy.enum as unknown[]), null];
  if (copy.nullable === true && copy.type === undefined) {
    delete copy.nullable;
    return { anyOf: [copy, { type: "null" }] };
  }
  return copy;
}
