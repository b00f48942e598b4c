import { pino, type Logger } from "pino";

export type { Logger };

/**
 * The app's logger. Secrets never reach it: the redaction list covers every field name that
 * carries a credential in our own objects and in Octokit request options.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? "stagecoach",
    level: options.level ?? process.env.LOG_LEVEL ?? "info",
    redact: {
      paths: [
        "*.password",
        "*.token",
        "*.secret",
        "*.privateKey",
        "*.authorization",
        "*.headers.authorization",
        "*.headers.Authorization",
        "headers.authorization",
        "password",
        "token",
        "secret",
        "privateKey",
      ],
      censor: "[redacted]",
    },
  });
}

/** A logger that drops everything, for tests and the CLI. */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
