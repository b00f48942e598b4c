import { execFile } from "node:child_process";
import { isIP } from "node:net";
import { DiscoveryError, type RepositoryCredential } from "../types.js";
import type { GitRemote } from "./parse-git-url.js";

export interface GitRunnerOptions {
  remote: GitRemote;
  credential?: RepositoryCredential;
  /** Addresses the host was checked against; git is told to connect to exactly these. */
  pinnedAddresses: readonly string[];
  insecureSkipTLSVerify?: boolean;
  /** A private directory that serves as HOME, so no user or system git config applies. */
  home: string;
  field: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs one git command; resolves to its stdout, or rejects with a DiscoveryError that says what to fix. */
export type RunGit = (args: string[], cwd?: string) => Promise<string>;

// Passed through so git works behind a corporate proxy or with a custom CA bundle.
const PASSED_THROUGH = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO"];

/**
 * git for a remote that is not on GitHub. The environment is built from nothing: no user or system
 * config (so no `insteadOf` rewrite or credential helper interferes), no terminal prompts, only
 * http(s), no redirects (they could lead to a private address), connections pinned to the checked
 * addresses. The credential travels as an `http.extraHeader` set through GIT_CONFIG_* variables:
 * never in argv, where `ps` would show it, and never echoed in an error.
 */
export function createGitRunner(options: GitRunnerOptions): RunGit {
  const { remote, credential, field } = options;
  const config: Array<[string, string]> = [
    ["http.followRedirects", "false"],
    ["protocol.version", "2"],
    ["http.lowSpeedLimit", "1000"],
    ["http.lowSpeedTime", "60"],
    ["gc.auto", "0"],
    ["maintenance.auto", "false"],
  ];
  const secrets: string[] = [];
  if (credential) {
    const [user, password] = "token" in credential ? ["x-access-token", credential.token] : [credential.username, credential.password];
    const encoded = Buffer.from(`${user}:${password}`).toString("base64");
    config.push(["http.extraHeader", `Authorization: Basic ${encoded}`]);
    secrets.push(encoded, password);
  }
  if (options.pinnedAddresses.length > 0 && isIP(remote.hostname) === 0) {
    const addresses = options.pinnedAddresses.map((a) => (isIP(a) === 6 ? `[${a}]` : a)).join(",");
    config.push(["http.curloptResolve", `${remote.hostname}:${remote.port}:${addresses}`]);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: options.home,
    LANG: "C",
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ALLOW_PROTOCOL: "http:https",
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  for (const name of PASSED_THROUGH) if (process.env[name]) env[name] = process.env[name]!;
  if (options.insecureSkipTLSVerify) env.GIT_SSL_NO_VERIFY = "1";

  return (args, cwd) =>
    new Promise((resolve, reject) => {
      execFile(
        "git",
        args,
        { cwd: cwd ?? options.home, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 300_000, ...(options.signal ? { signal: options.signal } : {}) },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          if (options.signal?.aborted) return reject(options.signal.reason ?? error);
          reject(explainGitFailure(error, redact(stderr, secrets), field, remote, Boolean(credential)));
        },
      );
    });
}

function redact(text: string, secrets: string[]): string {
  let clean = text.replace(/authorization:[^\n]*/gi, "authorization: ***");
  for (const secret of secrets) if (secret) clean = clean.split(secret).join("***");
  return clean;
}

/** A failed git command as a DiscoveryError: the cause git gave, and what to do about it. */
export function explainGitFailure(error: Error & { code?: unknown; killed?: boolean }, stderr: string, field: string, remote: GitRemote, hadCredential: boolean): DiscoveryError {
  if (error.code === "ENOENT") return new DiscoveryError(`${field}: git is not installed where the App runs; install git (repositories outside GitHub are read with it)`, false);
  if (error.killed) return new DiscoveryError(`${field}: git did not finish in time talking to ${remote.hostname}; discovery will retry`, true);
  const said = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-2)
    .join(" ")
    .slice(0, 300);
  const cause = said ? ` (git: ${said})` : "";
  const host = remote.hostname;
  if (/could not read (Username|Password)|terminal prompts disabled|Authentication failed|returned error: 401/i.test(stderr)) {
    return new DiscoveryError(
      hadCredential
        ? `${field}: ${host} refused the credentials for this repository (401)${cause}; fix the entry for it in STAGECOACH_CREDENTIALS`
        : `${field}: ${host} wants credentials for this repository (401)${cause}; add an entry for ${remote.url} to STAGECOACH_CREDENTIALS`,
      false,
    );
  }
  if (/returned error: 403/i.test(stderr)) {
    return new DiscoveryError(`${field}: ${host} denied access (403)${cause}; give the credential in STAGECOACH_CREDENTIALS read access to this repository`, false);
  }
  if (/not found|returned error: 404|does not appear to be a git repository/i.test(stderr)) {
    return new DiscoveryError(
      hadCredential
        ? `${field}: no repository at ${remote.url} (404)${cause}; check the repoURL, and that the credential for it in STAGECOACH_CREDENTIALS can read it`
        : `${field}: no repository at ${remote.url} (404)${cause}; check the repoURL, and if the repository is private add an entry for ${remote.url} to STAGECOACH_CREDENTIALS (servers answer 404 for a private repository)`,
      false,
    );
  }
  if (/returned error: 30\d/i.test(stderr)) {
    return new DiscoveryError(`${field}: ${host} redirects elsewhere${cause}; write the URL it redirects to as the repoURL (redirects are not followed)`, false);
  }
  if (/SSL certificate problem|certificate verify failed|server certificate verification failed/i.test(stderr)) {
    return new DiscoveryError(`${field}: ${host}'s TLS certificate is not trusted${cause}; give the App the CA (SSL_CERT_FILE) or, for a test server only, set insecureSkipTLSVerify: true`, false);
  }
  return new DiscoveryError(`${field}: git could not read ${remote.url}${cause}; discovery will retry`, true);
}
