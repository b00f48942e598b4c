import { createHash } from "node:crypto";
import { fetch, type Agent, type Response } from "undici";
import type { ImageRepository } from "../../freight/normalize-urls.js";
import { createGuardedAgent } from "../../network/create-guarded-agent.js";
import { NonPublicAddressError } from "../../network/non-public-address-error.js";
import { discoveryGuard } from "../../network/read-network-policy.js";
import type { NetworkPolicy } from "../../network/types.js";
import { DiscoveryError, type CredentialLookup, type RepositoryCredential } from "../types.js";
import { createConcurrencyLimiter } from "./limit-concurrency.js";
import { MANIFEST_ACCEPT } from "./media-types.js";
import { nextLinkOf } from "./parse-link-header.js";
import { parseWwwAuthenticate, type AuthChallenge } from "./parse-www-authenticate.js";

export interface RegistryClientOptions {
  credentials?: CredentialLookup;
  network?: NetworkPolicy;
  /** Requests in flight per registry host; registries rate-limit bursts (Docker Hub especially). */
  maxConcurrentPerRegistry?: number;
  /** Attempts after the first for 429, 5xx and connection failures. */
  maxRetries?: number;
  /** Longest `Retry-After` honoured; a registry asking for more is reported as rate-limited. */
  maxRetryAfterMs?: number;
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

export interface RequestOptions {
  insecureSkipTLSVerify?: boolean;
  signal?: AbortSignal;
}

export interface FetchedManifest {
  /** From `Docker-Content-Digest`, or the SHA-256 of the bytes when a registry leaves it out. */
  digest: string;
  mediaType: string | undefined;
  json: Record<string, unknown>;
}

export interface RegistryClient {
  /** Every tag of the repository, following `Link` pagination. */
  listTags(repository: ImageRepository, options?: RequestOptions): Promise<string[]>;
  /** The manifest or index a tag or digest names; undefined when the registry says 404. */
  getManifest(repository: ImageRepository, reference: string, options?: RequestOptions): Promise<FetchedManifest | undefined>;
  /** A JSON blob (an image config) by digest, verified against that digest. */
  getJsonBlob(repository: ImageRepository, digest: string, options?: RequestOptions): Promise<Record<string, unknown>>;
  /** Requests made, per registry host (benchmarks and tests read this). */
  requestCount(registry?: string): number;
  close(): Promise<void>;
}

const MAX_TAG_PAGE_BYTES = 16 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TAG_PAGES = 1000;

/** Hosts Docker and go-containerregistry speak plain HTTP to; everything else is HTTPS. */
export function registryScheme(registry: string): "http" | "https" {
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "127.0.0.1" || host === "::1" ? "http" : "https";
}

/**
 * A client for the OCI distribution API (the `/v2/` registry protocol): anonymous, basic and
 * Bearer-token authentication through the `WWW-Authenticate` challenge, tag pagination, manifests
 * and indexes, config blobs; `429 Retry-After` and 5xx retried with backoff; at most N requests
 * in flight per registry. Credentials come from the app's configuration and never appear in an
 * error message.
 */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const limit = createConcurrencyLimiter(options.maxConcurrentPerRegistry ?? 6);
  const maxRetries = options.maxRetries ?? 4;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const userAgent = options.userAgent ?? "stagecoach";
  const guard = discoveryGuard(options.network);
  const agents = new Map<boolean, Agent>();
  const tokens = new Map<string, { value: string; expiresAt: number }>();
  const basicRegistries = new Set<string>();
  const counts = new Map<string, number>();

  // Registries, their token services and the blob stores they redirect to are all reached through this guard.
  const agentFor = (insecure: boolean): Agent => {
    let agent = agents.get(insecure);
    if (!agent) agents.set(insecure, (agent = createGuardedAgent(guard, { rejectUnauthorized: !insecure, keepAliveTimeout: 10_000 })));
    return agent;
  };

  async function send(url: string, init: { headers: Record<string, string>; method?: string }, registry: string, what: string, request: RequestOptions): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        counts.set(registry, (counts.get(registry) ?? 0) + 1);
        response = await limit(registry, () =>
          fetch(url, {
            method: init.method ?? "GET",
            headers: { "user-agent": userAgent, ...init.headers },
            dispatcher: agentFor(request.insecureSkipTLSVerify ?? false),
            signal: request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
          }),
        );
      } catch (error) {
        const failure = describeConnectionFailure(error, registry, what);
        if (!failure.retryable || attempt >= maxRetries) throw failure;
        await sleep(backoff(attempt));
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        if (attempt >= maxRetries) {
          await response.body?.cancel();
          throw new DiscoveryError(
            response.status === 429
              ? `${what}: ${registry} keeps answering 429 Too Many Requests after ${attempt + 1} attempts; discovery will retry later (lower the warehouse's polling or add credentials: authenticated pulls get higher limits)`
              : `${what}: ${registry} answered ${response.status} after ${attempt + 1} attempts; discovery will retry later`,
            true,
          );
        }
        const wait = response.status === 429 ? retryAfterMs(response.headers.get("retry-after")) ?? backoff(attempt) : backoff(attempt);
        await response.body?.cancel();
        if (wait > maxRetryAfterMs) {
          throw new DiscoveryError(`${what}: ${registry} asks to wait ${Math.ceil(wait / 1000)} s (429 Retry-After); discovery will try again then`, true);
        }
        await sleep(wait);
        continue;
      }
      return response;
    }
  }

  /** A GET with whatever authentication the registry asks for, answering the challenge once. */
  async function authorizedGet(repository: ImageRepository, url: string, accept: string | undefined, what: string, request: RequestOptions): Promise<Response> {
    const { registry } = repository;
    const credential = options.credentials?.(`${registry}/${repository.path}`);
    const headers: Record<string, string> = accept ? { accept } : {};
    const cacheKey = `${registry} ${repository.path}`;
    const cached = tokens.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) headers.authorization = `Bearer ${cached.value}`;
    else if (credential && "token" in credential) headers.authorization = `Bearer ${credential.token}`;
    else if (credential && basicRegistries.has(registry)) headers.authorization = basicHeader(credential);

    const first = await send(url, { headers }, registry, what, request);
    if (first.status !== 401) return first;
    const challenge = parseWwwAuthenticate(first.headers.get("www-authenticate"));
    await first.body?.cancel();
    if (!challenge) throw unauthorized(what, registry, credential, "it sent no usable WWW-Authenticate challenge");
    if (challenge.scheme === "basic") {
      if (!credential || "token" in credential) throw unauthorized(what, registry, credential, "it wants a username and password");
      basicRegistries.add(registry);
      const retried = await send(url, { headers: { ...headers, authorization: basicHeader(credential) } }, registry, what, request);
      if (retried.status === 401) {
        await retried.body?.cancel();
        throw unauthorized(what, registry, credential, "it refused the username and password");
      }
      return retried;
    }
    const token = await fetchToken(challenge, repository, credential, what, request);
    tokens.set(cacheKey, token);
    const retried = await send(url, { headers: { ...headers, authorization: `Bearer ${token.value}` } }, registry, what, request);
    if (retried.status === 401) {
      await retried.body?.cancel();
      throw unauthorized(what, registry, credential, "it refused the token its own auth service issued");
    }
    return retried;
  }

  async function fetchToken(challenge: AuthChallenge, repository: ImageRepository, credential: RepositoryCredential | undefined, what: string, request: RequestOptions) {
    const realm = challenge.params.realm;
    let tokenURL: URL;
    try {
      tokenURL = new URL(realm ?? "");
    } catch {
      throw new DiscoveryError(`${what}: ${repository.registry} named a token service that is not a URL (${JSON.stringify(realm ?? "")}); the registry is misconfigured`, false);
    }
    if (tokenURL.protocol !== "https:" && !(tokenURL.protocol === "http:" && registryScheme(repository.registry) === "http")) {
      throw new DiscoveryError(`${what}: ${repository.registry} sent its token service as ${tokenURL.protocol}//${tokenURL.host}; only https is used for tokens`, false);
    }
    if (challenge.params.service) tokenURL.searchParams.set("service", challenge.params.service);
    tokenURL.searchParams.set("scope", challenge.params.scope ?? `repository:${repository.path}:pull`);
    const headers: Record<string, string> = {};
    if (credential && !("token" in credential)) headers.authorization = basicHeader(credential);
    const response = await send(tokenURL.toString(), { headers }, tokenURL.host, `${what}: the token service ${tokenURL.origin} that ${repository.registry} named`, request);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw unauthorized(what, repository.registry, credential, `its token service answered ${response.status}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DiscoveryError(`${what}: the token service of ${repository.registry} answered ${response.status}`, response.status >= 500);
    }
    const body = await readJson(response, MAX_MANIFEST_BYTES, `${what}: the token service of ${repository.registry}`);
    const value = typeof body.token === "string" ? body.token : typeof body.access_token === "string" ? body.access_token : undefined;
    if (!value) throw new DiscoveryError(`${what}: the token service of ${repository.registry} answered without a token`, true);
    const lifetime = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 60;
    // Renew a little early so a token does not expire between the check and the request.
    return { value, expiresAt: Date.now() + Math.max(lifetime - 10, 5) * 1000 };
  }

  const baseURL = (repository: ImageRepository) => `${registryScheme(repository.registry)}://${repository.registry}/v2/${repository.path}`;

  return {
    async listTags(repository, request = {}) {
      const what = `image ${repository.registry}/${repository.path}`;
      const tags: string[] = [];
      let url: string | undefined = `${baseURL(repository)}/tags/list?n=1000`;
      for (let page = 0; url; page++) {
        if (page >= MAX_TAG_PAGES) throw new DiscoveryError(`${what}: the tag list goes on for more than ${MAX_TAG_PAGES} pages; narrow the subscription with allowTagsRegexes or prune old tags`, false);
        const response = await authorizedGet(repository, url, "application/json", what, request);
        failOnStatus(response, what, repository.registry, "the repository");
        const body = await readJson(response, MAX_TAG_PAGE_BYTES, `${what}: the tag list`);
        if (body.tags !== null && body.tags !== undefined && (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== "string"))) {
          throw new DiscoveryError(`${what}: ${repository.registry} answered a tag list whose "tags" is not a list of strings; the registry is not speaking the distribution API`, false);
        }
        tags.push(...((body.tags as string[] | null | undefined) ?? []));
        url = nextLinkOf(response.headers.get("link"), url);
        if (url && new URL(url).host !== repository.registry) {
          throw new DiscoveryError(`${what}: the tag list's next page points at another host (${new URL(url).host}); refusing to follow it`, false);
        }
      }
      return tags;
    },

    async getManifest(repository, reference, request = {}) {
      const what = `image ${repository.registry}/${repository.path}:${reference}`;
      const response = await authorizedGet(repository, `${baseURL(repository)}/manifests/${encodeURIComponent(reference)}`, MANIFEST_ACCEPT, what, request);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      failOnStatus(response, what, repository.registry, "the manifest");
      const bytes = await readCapped(response, MAX_MANIFEST_BYTES, `${what}: the manifest`);
      const computed = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      const declared = response.headers.get("docker-content-digest") ?? undefined;
      if (declared?.startsWith("sha256:") && declared !== computed) {
        throw new DiscoveryError(`${what}: the manifest's bytes do not match the Docker-Content-Digest the registry sent (${declared}); refusing it`, true);
      }
      const json = parseJsonObject(bytes, `${what}: the manifest`);
      const mediaType = typeof json.mediaType === "string" ? json.mediaType : (response.headers.get("content-type")?.split(";")[0] ?? undefined);
      return { digest: declared ?? computed, mediaType, json };
    },

    async getJsonBlob(repository, digest, request = {}) {
      const what = `image ${repository.registry}/${repository.path}@${digest}`;
      const response = await authorizedGet(repository, `${baseURL(repository)}/blobs/${encodeURIComponent(digest)}`, undefined, what, request);
      failOnStatus(response, what, repository.registry, "the image config");
      const bytes = await readCapped(response, MAX_MANIFEST_BYTES, `${what}: the image config`);
      if (digest.startsWith("sha256:") && `sha256:${createHash("sha256").update(bytes).digest("hex")}` !== digest) {
        throw new DiscoveryError(`${what}: the image config's bytes do not match its digest; refusing it`, true);
      }
      return parseJsonObject(bytes, `${what}: the image config`);
    },

    requestCount: (registry) => (registry ? (counts.get(registry) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),

    async close() {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}

function basicHeader(credential: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}

function unauthorized(what: string, registry: string, credential: RepositoryCredential | undefined, detail: string): DiscoveryError {
  const fix = credential
    ? `check the credentials configured for ${registry} (STAGECOACH_CREDENTIALS or STAGECOACH_CREDENTIALS_FILE): they were refused`
    : `add credentials for ${registry} to the app's STAGECOACH_CREDENTIALS or STAGECOACH_CREDENTIALS_FILE`;
  return new DiscoveryError(`${what}: ${registry} answered 401 Unauthorized (${detail}); ${fix}`, false);
}

function failOnStatus(response: Response, what: string, registry: string, subject: string): void {
  if (response.ok) return;
  void response.body?.cancel();
  if (response.status === 403) throw new DiscoveryError(`${what}: ${registry} answered 403 Forbidden: the credentials in use may not pull ${subject}; grant them read access`, false);
  if (response.status === 404) throw new DiscoveryError(`${what}: ${registry} answered 404: ${subject} does not exist (check repoURL for a typo) or is private and needs credentials`, false);
  throw new DiscoveryError(`${what}: ${registry} answered ${response.status} for ${subject}`, response.status >= 500);
}

function describeConnectionFailure(error: unknown, registry: string, what: string): DiscoveryError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause instanceof NonPublicAddressError) return new DiscoveryError(`${what}: ${cause.message}`, false);
  if ((error as Error).name === "AbortError") return new DiscoveryError(`${what}: discovery was cancelled`, false);
  if ((error as Error).name === "TimeoutError") return new DiscoveryError(`${what}: ${registry} did not answer in time; discovery will retry`, true);
  const certificate = cause?.code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(cause.code);
  if (certificate) return new DiscoveryError(`${what}: ${registry}'s TLS certificate is not trusted (${cause.code}); fix the certificate or set insecureSkipTLSVerify: true on the subscription`, false);
  return new DiscoveryError(`${what}: ${registry} could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message}); discovery will retry`, true);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 8_000) + Math.floor(Math.random() * 100);
}

async function readCapped(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new DiscoveryError(`${what} is ${declared} bytes, more than the ${maxBytes} accepted`, false);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new DiscoveryError(`${what} is more than the ${maxBytes} bytes accepted`, false);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

async function readJson(response: Response, maxBytes: number, what: string): Promise<Record<string, unknown>> {
  return parseJsonObject(await readCapped(response, maxBytes, what), what);
}

function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new DiscoveryError(`${what} is not JSON; the registry is not speaking the distribution API`, false);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DiscoveryError(`${what} is not a JSON object`, false);
  return value as Record<string, unknown>;
}
