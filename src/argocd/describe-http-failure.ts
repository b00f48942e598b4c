import { ArgoCdError, type ArgoCdErrorKind } from "./argocd-error.js";
import type { RuntimeError } from "./types.js";

/** Which Argo CD RBAC action an API call needs, so a 403 can name the missing permission. */
export type RbacAction = "get" | "update" | "sync";

export interface FailedCall {
  server: string;
  method: string;
  path: string;
  action: RbacAction;
  /** The Application the call was about; absent for listing calls. */
  app?: { name: string; namespace: string; project?: string };
  status: number;
  body: RuntimeError | undefined;
}

type Describe = (call: FailedCall, detail: string) => { kind: ArgoCdErrorKind; message: string };

const appLabel = (call: FailedCall) => (call.app ? `Application ${call.app.namespace}/${call.app.name}` : "Applications");

const BY_STATUS: Record<number, Describe> = {
  401: (call) => ({
    kind: "unauthorized",
    message:
      `ARGOCD_TOKEN rejected by ${call.server} (401 on ${call.method} ${call.path}): the token is expired, revoked or for another server. ` +
      `Generate a new one with \`argocd account generate-token --account stagecoach\` and set ARGOCD_TOKEN.`,
  }),
  403: (call) => {
    const object = call.app ? `${call.app.project ?? "*"}/${call.app.name}` : "*/*";
    return {
      kind: "forbidden",
      message:
        `Argo CD at ${call.server} denied ${call.method} ${call.path}: the account behind ARGOCD_TOKEN lacks the RBAC permission ` +
        `"applications, ${call.action}, ${object}" (Argo CD also answers 403 when the Application does not exist and the account may not see it). ` +
        `Add to argocd-rbac-cm policy.csv: \`p, role:stagecoach, applications, ${call.action}, ${object}, allow\` and \`g, stagecoach, role:stagecoach\`.`,
    };
  },
  404: (call) => ({
    kind: "not-found",
    message: call.app
      ? `Application ${call.app.name} not found in namespace ${call.app.namespace} on ${call.server}: check apps[].name and apps[].namespace ` +
        `(default argocd) in the step config, or create the Application first.`
      : `Argo CD at ${call.server} has no ${call.path}: check that ARGOCD_SERVER points at the Argo CD API server (not a UI path).`,
  }),
  409: (call, detail) => ({
    kind: "conflict",
    message: `${appLabel(call)} changed on ${call.server} while Stagecoach was updating it (409: ${detail}); the update is retried from a fresh read.`,
  }),
};

/** Turns a non-2xx Argo CD answer into an error that says what to fix. */
export function describeHttpFailure(call: FailedCall): ArgoCdError {
  const detail = call.body?.message || call.body?.error || "no message";
  const known = BY_STATUS[call.status];
  if (known) {
    const { kind, message } = known(call, detail);
    return new ArgoCdError(message, kind, call.status);
  }
  if (call.status >= 500) {
    return new ArgoCdError(`Argo CD at ${call.server} failed ${call.method} ${call.path} (${call.status}: ${detail}); retry later.`, "server", call.status);
  }
  if (/another operation is already in progress/i.test(detail)) {
    return new ArgoCdError(
      `${appLabel(call)} on ${call.server} is busy with another operation (${detail}); wait for it to finish or stop it with \`argocd app terminate-op ${call.app?.name ?? "<app>"}\`.`,
      "busy",
      call.status,
    );
  }
  return new ArgoCdError(`Argo CD at ${call.server} refused ${call.method} ${call.path} for ${appLabel(call)} (${call.status}: ${detail}).`, "invalid", call.status);
}

const TLS_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Turns a fetch failure (no HTTP answer at all) into an error naming the server and the fix. */
export function describeTransportFailure(server: string, method: string, path: string, timeoutMs: number, error: unknown): ArgoCdError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ArgoCdError(`Argo CD at ${server} did not answer ${method} ${path} within ${timeoutMs} ms; check the server's load or raise ARGOCD_TIMEOUT_MS.`, "timeout");
  }
  const code = causeCode(error);
  if (code && TLS_CODES.has(code)) {
    return new ArgoCdError(
      `Cannot verify the TLS certificate of Argo CD at ${server} (${code}): give Node the CA with NODE_EXTRA_CA_CERTS, ` +
        `or set ARGOCD_INSECURE_SKIP_TLS_VERIFY=true if you accept an unverified connection.`,
      "tls",
    );
  }
  return new ArgoCdError(
    `Cannot reach Argo CD at ${server} (${code ?? (error instanceof Error ? error.message : String(error))}): check ARGOCD_SERVER and that the server is reachable from Stagecoach.`,
    "unreachable",
  );
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return undefined;
}
