import { fetch, type Response } from "undici";
import { parse } from "yaml";
import { createGuardedAgent } from "../../network/create-guarded-agent.js";
import { NonPublicAddressError } from "../../network/non-public-address-error.js";
import { discoveryGuard } from "../../network/read-network-policy.js";
import type { NetworkPolicy } from "../../network/types.js";
import { DiscoveryError, type RepositoryCredential } from "../types.js";

export interface ReadChartIndexOptions {
  field: string;
  credential?: RepositoryCredential;
  network?: NetworkPolicy;
  insecureSkipTLSVerify?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Chart name → the versions the index lists, exactly as written. */
export type ChartIndex = Map<string, string[]>;

/** Public repository indexes run to a few MB; a larger answer is refused before it is parsed. */
export const MAX_INDEX_BYTES = 20 * 1024 * 1024;
// Helm's own indexes never use YAML aliases; a few are tolerated, an expansion attack is not.
const MAX_ALIAS_COUNT = 100;
const MAX_REDIRECTS = 5;

/**
 * A classic Helm repository's `index.yaml`: fetched with basic or bearer auth, redirects followed
 * by hand (credentials dropped when the host changes; every hop connects through the address
 * guard), the body capped at 20 MB after decompression, parsed with every scalar kept as text
 * (so `version: 1.10` stays "1.10") and aliases limited.
 */
export async function readChartIndex(repoURL: string, options: ReadChartIndexOptions): Promise<ChartIndex> {
  const { field } = options;
  let url = indexURL(repoURL, field);
  const agent = createGuardedAgent(discoveryGuard(options.network), { rejectUnauthorized: !options.insecureSkipTLSVerify });
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const firstOrigin = new URL(url).origin;
  try {
    for (let hop = 0; ; hop++) {
      const target = new URL(url);
      const headers: Record<string, string> = { accept: "application/x-yaml, application/yaml, text/yaml, */*", "user-agent": "stagecoach" };
      if (options.credential && target.origin === firstOrigin) headers.authorization = authorization(options.credential);
      let response: Response;
      try {
        response = await fetch(url, { headers, redirect: "manual", dispatcher: agent, signal });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw connectionFailure(error, field, url);
      }
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new DiscoveryError(`${field}: ${url} redirects more than ${MAX_REDIRECTS} times; write the final URL as the repoURL`, false);
        url = new URL(location, url).href;
        if (!/^https?:$/.test(new URL(url).protocol)) throw new DiscoveryError(`${field}: the chart repository redirects to ${url}, which is not http(s)`, false);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw statusFailure(response.status, field, url, repoURL, Boolean(options.credential));
      }
      return parseIndex(await readCapped(response, field, url), field, url);
    }
  } finally {
    await agent.close();
  }
}

function indexURL(repoURL: string, field: string): string {
  let url: URL;
  try {
    url = new URL(repoURL.trim());
  } catch {
    throw new DiscoveryError(`${field}.repoURL: "${repoURL}" is not a URL; write the chart repository's https:// URL (or oci://registry/path for an OCI chart)`, false);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new DiscoveryError(`${field}.repoURL: the ${url.protocol.replace(/:$/, "")} scheme is not a chart repository; write an https:// URL, or oci://registry/path for an OCI chart`, false);
  }
  if (url.username || url.password) {
    throw new DiscoveryError(`${field}.repoURL: the URL carries credentials, which must not live in the GitOps repository; remove them and put them in STAGECOACH_CREDENTIALS`, false);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/index.yaml`;
  return url.href;
}

function authorization(credential: RepositoryCredential): string {
  return "token" in credential ? `Bearer ${credential.token}` : `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}

async function readCapped(response: Response, field: string, url: string): Promise<string> {
  const tooBig = () => new DiscoveryError(`${field}: ${url} is larger than ${MAX_INDEX_BYTES / 1024 / 1024} MB, more than a chart repository index should be; check the repoURL`, false);
  if (Number(response.headers.get("content-length")) > MAX_INDEX_BYTES) {
    await response.body?.cancel();
    throw tooBig();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > MAX_INDEX_BYTES) {
      await response.body?.cancel().catch(() => {});
      throw tooBig();
    }
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseIndex(text: string, field: string, url: string): ChartIndex {
  const notAnIndex = (why: string) => new DiscoveryError(`${field}: ${url} is not a Helm repository index (${why}); check that the repoURL is the repository's root, the URL \`helm repo add\` takes`, false);
  let document: unknown;
  try {
    document = parse(text, { schema: "failsafe", maxAliasCount: MAX_ALIAS_COUNT, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    throw notAnIndex(`${(error as Error).message.split("\n")[0]}`);
  }
  const entries = isRecord(document) ? document.entries : undefined;
  if (!isRecord(entries)) throw notAnIndex("it has no entries map");
  const index: ChartIndex = new Map();
  for (const [name, list] of Object.entries(entries)) {
    if (!Array.isArray(list)) continue;
    index.set(
      name,
      list.flatMap((entry) => (isRecord(entry) && typeof entry.version === "string" ? [entry.version] : [])),
    );
  }
  return index;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function statusFailure(status: number, field: string, url: string, repoURL: string, hadCredential: boolean): DiscoveryError {
  if (status === 401) {
    return new DiscoveryError(
      hadCredential
        ? `${field}: the chart repository refused the credentials (401) for ${url}; fix the entry for ${repoURL} in STAGECOACH_CREDENTIALS`
        : `${field}: the chart repository wants credentials (401) for ${url}; add an entry for ${repoURL} to STAGECOACH_CREDENTIALS`,
      false,
    );
  }
  if (status === 403) return new DiscoveryError(`${field}: the chart repository denied access (403) to ${url}; give the credential in STAGECOACH_CREDENTIALS read access`, false);
  if (status === 404) return new DiscoveryError(`${field}: there is no index.yaml at ${url} (404); write the repository's root URL as the repoURL, the URL \`helm repo add\` takes`, false);
  if (status === 429 || status >= 500) return new DiscoveryError(`${field}: the chart repository answered ${status} for ${url}; discovery will retry`, true);
  return new DiscoveryError(`${field}: the chart repository answered ${status} for ${url}; check the repoURL`, false);
}

function connectionFailure(error: unknown, field: string, url: string): DiscoveryError {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  if (cause instanceof NonPublicAddressError) return new DiscoveryError(`${field}: ${cause.message}`, false);
  if ((error as Error).name === "TimeoutError") return new DiscoveryError(`${field}: ${url} did not answer in time; discovery will retry`, true);
  return new DiscoveryError(`${field}: ${url} cannot be reached (${cause?.code ?? cause?.message ?? (error as Error).message}); discovery will retry`, true);
}
