import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { RecordedExchange } from "../../../src/sandbox/argocd/start-fake-argocd.js";

/**
 * Checks recorded Argo CD traffic against Argo CD's published swagger (v3.5). Only test code reads
 * the swagger. Objects are made closed (additionalProperties: false) so a misspelt or invented
 * field is a violation, not silently accepted.
 */
const SWAGGER_PATH = new URL("../../fixtures/contracts/argocd-v3.5-swagger.json", import.meta.url);

interface Parameter {
  name: string;
  in: "path" | "query" | "body";
  required?: boolean;
  schema?: object;
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, { schema?: object }>;
}
interface Swagger {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Record<string, unknown>>;
}

const swagger = JSON.parse(readFileSync(SWAGGER_PATH, "utf8")) as Swagger;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addSchema({ $id: "argocd", definitions: closeDefinitions(swagger.definitions) });

function closeDefinitions(definitions: Swagger["definitions"]): Swagger["definitions"] {
  const out: Swagger["definitions"] = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const copy = structuredClone(definition);
    // v1alpha1ResourceNode inherits ResourceRef's fields through allOf; fold them in so it can be closed.
    for (const part of (copy.allOf as Array<{ $ref: string }> | undefined) ?? []) {
      const inherited = definitions[part.$ref.replace("#/definitions/", "")]!;
      copy.properties = { ...(inherited.properties as object), ...(copy.properties as object) };
    }
    delete copy.allOf;
    if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
    out[name] = copy;
  }
  return out;
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    const rewritten = JSON.parse(key.replaceAll('"#/definitions/', '"argocd#/definitions/')) as object;
    validate = ajv.compile(rewritten);
    validators.set(key, validate);
  }
  return validate;
}

const templates = Object.keys(swagger.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`), params: (template.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

function findOperation(method: string, path: string): Operation | undefined {
  for (const { template, pattern } of templates) {
    const operation = pattern.test(path) ? swagger.paths[template]?.[method.toLowerCase()] : undefined;
    if (operation) return operation;
  }
  return undefined;
}

function schemaErrors(schema: object, value: unknown): string[] {
  const validate = validatorFor(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
}

/**
 * Every way a recorded exchange departs from the swagger; an empty list means it conforms.
 * `requests: false` checks only the server's answers, for tests that send hostile requests on purpose.
 */
export function contractViolations(exchanges: RecordedExchange[], options: { requests?: boolean } = {}): string[] {
  const checkRequests = options.requests ?? true;
  const problems: string[] = [];
  for (const exchange of exchanges) {
    if (!exchange.path.startsWith("/api/v1/")) continue;
    const label = `${exchange.method} ${exchange.path}`;
    const operation = findOperation(exchange.method, exchange.path);
    if (!operation) {
      problems.push(`${label}: no such operation in Argo CD's API`);
      continue;
    }
    const parameters = operation.parameters ?? [];
    if (checkRequests) problems.push(...requestViolations(label, parameters, exchange));
    const response = exchange.status === 200 ? operation.responses["200"] : operation.responses.default;
    if (response?.schema) for (const error of schemaErrors(response.schema, exchange.response)) problems.push(`${label} response ${exchange.status}: ${error}`);
  }
  return problems;
}

function requestViolations(label: string, parameters: Parameter[], exchange: RecordedExchange): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(exchange.query)) {
    if (!parameters.some((p) => p.in === "query" && p.name === name)) problems.push(`${label}: query parameter "${name}" is not in the API`);
  }
  const bodyParameter = parameters.find((p) => p.in === "body");
  if (bodyParameter?.schema) {
    if (exchange.body === undefined && bodyParameter.required) problems.push(`${label}: request body missing`);
    else for (const error of schemaErrors(bodyParameter.schema, exchange.body)) problems.push(`${label} request body: ${error}`);
  } else if (exchange.body !== undefined) problems.push(`${label}: this operation takes no body`);
  return problems;
}
