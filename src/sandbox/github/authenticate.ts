import { createVerify, randomBytes } from "node:crypto";
import { GitHubHttpError } from "./http-error.js";
import type { Caller, SandboxStore } from "./store.js";

const badCredentials = () => new GitHubHttpError(401, "Bad credentials");

/**
 * Works out who is calling, as GitHub does: `Bearer <JWT>` signed RS256 by an App's key (iat/exp
 * checked, at most 10 minutes apart), or `token`/`Bearer` with an installation or user token.
 * Basic auth with a token as the password is accepted too (that is how git over HTTP sends it).
 */
export function authenticate(store: SandboxStore, header: string | undefined): Caller {
  if (!header) return { kind: "anonymous" };
  const [scheme, value = ""] = header.split(" ", 2);
  let credential = value.trim();
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(credential, "base64").toString("utf8");
    credential = decoded.slice(decoded.indexOf(":") + 1);
  } else if (!["bearer", "token"].includes(scheme?.toLowerCase() ?? "")) {
    throw badCredentials();
  }
  if (credential.split(".").length === 3) return authenticateJwt(store, credential);

  const grant = store.tokens.get(credential);
  if (!grant || Date.parse(grant.expiresAt) <= store.now().getTime()) throw badCredentials();
  if (grant.installationId !== undefined) {
    const installation = store.installations.get(grant.installationId);
    const app = installation && store.apps.get(installation.appId);
    if (!installation || !app) throw badCredentials();
    return { kind: "installation", installation, app };
  }
  const account = grant.login ? store.account(grant.login) : undefined;
  if (!account) throw badCredentials();
  return { kind: "user", account };
}

function authenticateJwt(store: SandboxStore, jwt: string): Caller {
  const [headerPart, payloadPart, signaturePart] = jwt.split(".") as [string, string, string];
  let header: { alg?: string };
  let payload: { iss?: string | number; iat?: number; exp?: number };
  try {
    header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
  } catch {
    throw new GitHubHttpError(401, "A JSON web token could not be decoded");
  }
  if (header.alg !== "RS256") throw new GitHubHttpError(401, "'alg' must be RS256");
  const app = store.apps.get(Number(payload.iss));
  if (!app) throw new GitHubHttpError(401, `Integration not found: 'Issuer' claim ('iss') does not name a registered App`);
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${headerPart}.${payloadPart}`);
  if (!verifier.verify(app.publicKey, Buffer.from(signaturePart, "base64url"))) {
    throw new GitHubHttpError(401, "A JSON web token could not be decoded");
  }
  const now = Math.floor(store.now().getTime() / 1000);
  if (typeof payload.iat !== "number" || typeof payload.exp !== "number") {
    throw new GitHubHttpError(401, "'Issued at' and 'Expiration time' claims are required");
  }
  if (payload.exp <= now) throw new GitHubHttpError(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
  if (payload.exp - payload.iat > 600) throw new GitHubHttpError(401, "'Expiration time' claim ('exp') is too far in the future");
  if (payload.iat > now + 60) throw new GitHubHttpError(401, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
  return { kind: "app", app };
}

export function issueToken(prefix: "ghs" | "ghu"): string {
  return `${prefix}_${randomBytes(18).toString("base64url")}`;
}
