import { pino } from "pino";
import { Writable } from "node:stream";
import type { Logger } from "../../src/log.js";

export interface CapturedLog {
  log: Logger;
  lines: Array<Record<string, unknown> & { msg?: string; level: number }>;
  messages(): string[];
}

/** A real pino logger whose JSON lines are kept in memory, so tests can assert what was logged. */
export function captureLog(level = "info"): CapturedLog {
  const lines: CapturedLog["lines"] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      callback();
    },
  });
  const log = pino({ level }, sink);
  return { log, lines, messages: () => lines.map((l) => String(l.msg ?? "")) };
}
