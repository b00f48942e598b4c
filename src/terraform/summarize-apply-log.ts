import type { ApplySummary } from "./types.js";

export interface ApplyLog {
  /** Terraform's "Apply complete!" counts; undefined when the apply stopped before them. */
  summary?: ApplySummary;
  /** One line per message, as Terraform's human output would say it, with errors and warnings in full. */
  lines: string[];
  /** The summaries of error diagnostics, for the failure message. */
  errors: string[];
}

interface UiMessage {
  "@message"?: unknown;
  type?: unknown;
  changes?: { add?: unknown; change?: unknown; remove?: unknown; import?: unknown; operation?: unknown };
  diagnostic?: { severity?: unknown; summary?: unknown; detail?: unknown; address?: unknown; range?: { filename?: unknown; start?: { line?: unknown } } };
}

/**
 * Reads the machine-readable UI of `terraform apply -json` (one JSON object a line) into a log a
 * person can read and the counts of the change summary. Lines that are not JSON are kept as they are.
 */
export function summarizeApplyLog(jsonLines: string): ApplyLog {
  const log: ApplyLog = { lines: [], errors: [] };
  for (const line of jsonLines.split("\n")) {
    if (line.trim() === "") continue;
    const message = parseLine(line);
    if (!message) {
      log.lines.push(line);
      continue;
    }
    if (message.type === "diagnostic" && message.diagnostic) {
      const { severity, summary, detail } = message.diagnostic;
      const where = diagnosticPlace(message.diagnostic);
      const heading = `${severity === "error" ? "Error" : "Warning"}: ${String(summary ?? "")}${where ? ` (${where})` : ""}`;
      log.lines.push(heading, ...(typeof detail === "string" && detail !== "" ? detail.split("\n").map((text) => `  ${text}`) : []));
      if (severity === "error") log.errors.push(heading.slice("Error: ".length));
      continue;
    }
    if (typeof message["@message"] === "string") log.lines.push(message["@message"]);
    const changes = message.changes;
    if (message.type === "change_summary" && changes?.operation === "apply") {
      log.summary = { added: count(changes.add), changed: count(changes.change), destroyed: count(changes.remove), imported: count(changes.import) };
    }
  }
  return log;
}

function diagnosticPlace(diagnostic: NonNullable<UiMessage["diagnostic"]>): string | undefined {
  if (typeof diagnostic.address === "string") return diagnostic.address;
  const { filename } = diagnostic.range ?? {};
  const line = diagnostic.range?.start?.line;
  return typeof filename === "string" ? `${filename}${typeof line === "number" ? ` line ${line}` : ""}` : undefined;
}

function parseLine(line: string): UiMessage | undefined {
  try {
    const parsed = JSON.parse(line) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as UiMessage) : undefined;
  } catch {
    return undefined;
  }
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) ? value : 0;
}
