import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import type { CredentialLookup, RepositoryCredential } from "./types.js";

const EntrySchema = z.union([
  z.strictObject({ repository: z.string().min(1), username: z.string().min(1), password: z.string().min(1) }),
  z.strictObject({ repository: z.string().min(1), token: z.string().min(1) }),
]);

export interface CredentialsReading {
  lookup: CredentialLookup;
  /** How many entries were read (logged at start; the entries themselves never are). */
  count: number;
  problems: string[];
}

/**
 * Registry, chart-repository and git credentials from the app's own configuration: the YAML or
 * JSON list in STAGECOACH_CREDENTIALS, or in the file STAGECOACH_CREDENTIALS_FILE names (a
 * mounted secret). Each entry maps a repository URL prefix to username/password or a token; the
 * longest matching prefix wins. Never read from the GitOps repository. Problems name the entry and
 * field but never echo a secret.
 */
export function readCredentials(env: Record<string, string | undefined>): CredentialsReading {
  const problems: string[] = [];
  let text: string | undefined;
  let source = "STAGECOACH_CREDENTIALS";
  if (env.STAGECOACH_CREDENTIALS) text = env.STAGECOACH_CREDENTIALS;
  else if (env.STAGECOACH_CREDENTIALS_FILE) {
    source = `STAGECOACH_CREDENTIALS_FILE (${env.STAGECOACH_CREDENTIALS_FILE})`;
    try {
      text = readFileSync(env.STAGECOACH_CREDENTIALS_FILE, "utf8");
    } catch (error) {
      problems.push(`${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); mount the credentials file there or unset the variable.`);
    }
  }
  if (text === undefined) return { lookup: () => undefined, count: 0, problems };

  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    const position = (error as { linePos?: [{ line: number; col: number }] }).linePos?.[0];
    problems.push(`${source} is not YAML or JSON${position ? ` (line ${position.line}, column ${position.col})` : ""}; write a list of {repository, username, password} or {repository, token} entries.`);
    return { lookup: () => undefined, count: 0, problems };
  }
  if (!Array.isArray(raw)) {
    problems.push(`${source} must be a list of {repository, username, password} or {repository, token} entries.`);
    return { lookup: () => undefined, count: 0, problems };
  }
  const entries: { prefix: string; credential: RepositoryCredential }[] = [];
  raw.forEach((item, index) => {
    const parsed = EntrySchema.safeParse(item);
    if (!parsed.success) {
      const keys = typeof item === "object" && item !== null ? Object.keys(item).join(", ") : typeof item;
      problems.push(`${source}[${index}] has fields (${keys}); each entry needs repository plus either username and password, or token.`);
      return;
    }
    const { repository, ...credential } = parsed.data;
    entries.push({ prefix: comparableURL(repository), credential: credential as RepositoryCredential });
  });
  entries.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    count: entries.length,
    problems,
    lookup(repositoryURL) {
      const target = comparableURL(repositoryURL);
      return entries.find((entry) => target === entry.prefix || target.startsWith(entry.prefix.endsWith("/") ? entry.prefix : `${entry.prefix}/`))?.credential;
    },
  };
}

/** Scheme dropped, host lower-cased, Docker Hub's hosts folded into docker.io, no trailing `.git`. */
function comparableURL(url: string): string {
  const withoutScheme = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "");
  const slash = withoutScheme.indexOf("/");
  let host = (slash === -1 ? withoutScheme : withoutScheme.slice(0, slash)).toLowerCase();
  if (host === "registry-1.docker.io" || host === "index.docker.io") host = "docker.io";
  const path = slash === -1 ? "" : withoutScheme.slice(slash);
  return `${host}${path.replace(/\.git$/, "")}`;
}
