import { z } from "zod";

const httpUrl = z
  .string()
  .max(2_048)
  .refine((text) => {
    try {
      return ["http:", "https:"].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, "use an http:// or https:// URL");

const CredentialSchema = z
  .strictObject({
    address: httpUrl.describe("Where these credentials may be sent: scheme, host, port and a path prefix"),
    bearerToken: z.string().min(1).optional().describe("Sent as Authorization: Bearer <token>"),
    basicAuth: z.strictObject({ username: z.string().min(1), password: z.string().min(1) }).optional(),
    headers: z.record(z.string().min(1), z.string()).optional().describe("Extra headers, e.g. X-Scope-OrgID for a multi-tenant Mimir"),
  })
  .refine((c) => !(c.bearerToken && c.basicAuth), { message: "give bearerToken or basicAuth, not both" })
  .refine((c) => Boolean(c.bearerToken || c.basicAuth || c.headers), { message: "give bearerToken, basicAuth or headers" });

/**
 * What the App's operator (never a repository) says about the metric providers analysis queries:
 * the Prometheus to use when a template gives no address (Rollouts' ARGO_ROLLOUTS_PROMETHEUS_ADDRESS),
 * and credentials by address. Credentials are bound to their address, so a template in a GitOps
 * repository can use them only against that address: pointing a query elsewhere sends none.
 */
export const AnalysisSettingsSchema = z.strictObject({
  prometheus: z.strictObject({ defaultAddress: httpUrl.optional() }).optional(),
  credentials: z.array(CredentialSchema).max(200).default([]),
});

export type AnalysisSettings = z.input<typeof AnalysisSettingsSchema>;
export type AnalysisCredential = z.infer<typeof CredentialSchema>;

/** Reads the operator's analysis settings; a problem names its place and never repeats a value. */
export function parseAnalysisSettings(value: unknown): { settings: AnalysisSettings; problems: [] } | { settings?: undefined; problems: string[] } {
  const parsed = AnalysisSettingsSchema.safeParse(value ?? {});
  if (parsed.success) return { settings: parsed.data, problems: [] };
  return { problems: parsed.error.issues.map((issue) => `analysis settings ${issue.path.map(String).join(".") || "(top)"}: ${issue.message}`) };
}

/**
 * The credentials for a request URL: the entry whose address has the same scheme, host and port
 * and the longest path prefix (whole segments) of the URL. Undefined when none matches.
 */
export function credentialsFor(settings: AnalysisSettings | undefined, url: URL): AnalysisCredential | undefined {
  let best: { credential: AnalysisCredential; length: number } | undefined;
  for (const credential of settings?.credentials ?? []) {
    const address = new URL(credential.address);
    if (address.origin !== url.origin) continue;
    const prefix = address.pathname.replace(/\/+$/, "");
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) continue;
    if (!best || prefix.length > best.length) best = { credential, length: prefix.length };
  }
  return best?.credential;
}

/** The headers the credentials add; they replace a template's headers of the same name. */
export function credentialHeaders(credential: AnalysisCredential | undefined): Record<string, string> {
  if (!credential) return {};
  const headers: Record<string, string> = { ...(credential.headers ?? {}) };
  if (credential.bearerToken) headers.authorization = `Bearer ${credential.bearerToken}`;
  if (credential.basicAuth) headers.authorization = `Basic ${Buffer.from(`${credential.basicAuth.username}:${credential.basicAuth.password}`).toString("base64")}`;
  return headers;
}

/** Every credential value, so messages that might echo one can be redacted. */
export function credentialSecrets(credential: AnalysisCredential | undefined): string[] {
  if (!credential) return [];
  return [credential.bearerToken, credential.basicAuth?.password, ...Object.values(credential.headers ?? {})].filter((v): v is string => Boolean(v));
}
