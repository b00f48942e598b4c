import { posix } from "node:path";

/**
 * Repository URL normal forms, matching Kargo's so freight IDs agree with Kargo's for the same
 * artifacts (and so two spellings of one repository meet in the subscription index).
 */

/** Whitespace trimmed and unprintable characters (byte order marks, zero-width spaces) removed. */
export function sanitizeURL(url: string): string {
  return url.replace(/[\p{C}]/gu, "").trim();
}

// `[user@]host[:path]` as ssh/scp writes it.
const SCP_FORM = /^((?:[\w-]+@)?[\w-]+(?:\.[\w-]+)*)(?::(.*))?$/;

/** Git URL: lower case, no credentials, no trailing `/` or `.git`; scp form becomes `ssh://`. */
export function normalizeGitURL(repoURL: string): string {
  const lowered = sanitizeURL(repoURL.toLowerCase());
  const trimPath = (path: string) => path.replace(/\/$/, "").replace(/\.git$/, "");
  if (/^(https?|ssh):\/\//.test(lowered)) {
    let url: URL;
    try {
      url = new URL(lowered);
    } catch {
      return repoURL;
    }
    if (url.search) return repoURL;
    const user = lowered.startsWith("ssh://") && url.username ? `${url.username}${url.password ? `:${url.password}` : ""}@` : "";
    return `${url.protocol}//${user}${url.host}${trimPath(url.pathname === "/" ? "" : url.pathname)}`;
  }
  const match = SCP_FORM.exec(lowered);
  if (!match) return repoURL;
  const path = trimPath(match[2] ?? "");
  return path ? `ssh://${match[1]}/${path}` : `ssh://${match[1]}`;
}

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export interface ImageRepository {
  /** Registry host (and port) as clients dial it: Docker Hub is `registry-1.docker.io`. */
  registry: string;
  /** Repository path within the registry, e.g. `library/nginx`. */
  path: string;
}

/**
 * Splits an image repository reference (`nginx`, `acme/app`, `ghcr.io/acme/app`,
 * `localhost:5000/app`, optionally with `:tag` or `@digest`) into registry and path, applying
 * Docker's rules: a first component without `.` or `:` (and not `localhost`) is a Docker Hub
 * namespace, and single-name Docker Hub images live under `library/`. Undefined when it is not an
 * image reference at all.
 */
export function parseImageRepository(reference: string): ImageRepository | undefined {
  let text = sanitizeURL(reference).toLowerCase();
  if (text.includes("://")) return undefined;
  text = text.replace(/@sha256:[0-9a-f]{64}$/, "");
  const lastSlash = text.lastIndexOf("/");
  const tagColon = text.lastIndexOf(":");
  if (tagColon > lastSlash) text = text.slice(0, tagColon);
  const slash = text.indexOf("/");
  const first = slash === -1 ? "" : text.slice(0, slash);
  const isRegistry = first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = isRegistry ? first : "docker.io";
  let path = isRegistry ? text.slice(slash + 1) : text;
  if (DOCKER_HUB_HOSTS.has(registry)) {
    registry = "registry-1.docker.io";
    if (!path.includes("/")) path = `library/${path}`;
  }
  if (!REPOSITORY_PATH.test(path)) return undefined;
  return { registry, path };
}

/** Image repository in Kargo's normal form: Docker Hub without host or `library/`, others `host/path`. */
export function normalizeImageRepository(reference: string): string {
  const parsed = parseImageRepository(reference);
  if (!parsed) return reference;
  if (parsed.registry === "registry-1.docker.io") return parsed.path.replace(/^library\//, "");
  return `${parsed.registry}/${parsed.path}`;
}

/** Chart repository joined with the chart name, as Kargo forms it (Go's path.Join semantics included). */
export function normalizeChartReference(repoURL: string, name?: string): string {
  const lowered = sanitizeURL(repoURL).toLowerCase().replace(/^oci:\/\//, "");
  const base = normalizeImageRepository(lowered);
  // Go's path.Join cleans the result, which also folds the "//" of "https://"; Kargo's IDs carry that.
  const joined = posix.normalize(name ? `${base}/${name}` : base);
  return joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
}
