/** What went wrong talking to Argo CD; `retryable` says whether trying again later can help. */
export type ArgoCdErrorKind =
  | "config"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "busy"
  | "invalid"
  | "server"
  | "unreachable"
  | "timeout"
  | "tls"
  | "bad-response";

const RETRYABLE: ReadonlySet<ArgoCdErrorKind> = new Set(["conflict", "busy", "server", "unreachable", "timeout"]);

export class ArgoCdError extends Error {
  override name = "ArgoCdError";
  constructor(
    message: string,
    readonly kind: ArgoCdErrorKind,
    readonly status?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}
