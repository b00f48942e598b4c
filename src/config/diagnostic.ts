/** A place in a config file, 1-based like editors and GitHub annotations. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Severity = "error" | "warning";

/** One finding about a config, always at a position in a file. */
export interface Diagnostic extends SourcePosition {
  severity: Severity;
  message: string;
}

/** A path into parsed data: object keys and array indexes. */
export type DataPath = ReadonlyArray<string | number>;

/** Answers "where in the files is this value?" for the data parsed from them. */
export interface SourceLocator {
  /** The key (or, for array items and whole documents, the node) at `path`, or its deepest existing parent. */
  at(path: DataPath): SourcePosition;
  /** The character `offset` inside the string value at `path` (for expression errors). */
  inValue(path: DataPath, offset: number): SourcePosition;
}

export function diagnosticAt(position: SourcePosition, severity: Severity, message: string): Diagnostic {
  return { ...position, severity, message };
}

/** `file:line:col: message`, the form compilers use and editors link. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity === "warning" ? "warning: " : ""}${d.message}`;
}
