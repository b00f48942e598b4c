import { LineCounter, parseAllDocuments } from "yaml";
import { diagnosticAt, type Diagnostic, type SourceLocator } from "./diagnostic.js";
import { findDuplicateKeys } from "./find-duplicate-keys.js";
import { locateInDocument } from "./locate-in-document.js";

/** Config files are small; anything bigger is a mistake or an attack, refused before parsing. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Enough for real anchors; far below what an alias bomb ("billion laughs") needs. */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedDocument {
  file: string;
  /** 0-based index of the document within its file. */
  index: number;
  value: unknown;
  locator: SourceLocator;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
}

const start = (file: string) => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 });

/**
 * Parses a (multi-document) YAML file once, refusing oversize files and alias bombs; a key set
 * twice in a mapping keeps its last value with a warning (find-duplicate-keys.ts).
 */
export function parseYamlFile(file: string, text: string): ParsedFile {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return {
      documents: [],
      diagnostics: [diagnosticAt(start(file), "error", `file is ${bytes} bytes; config files may be at most ${MAX_CONFIG_BYTES} bytes (1 MB): split it into several files`)],
    };
  }
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    const locator = locateInDocument(file, text, doc, lines);
    const errors = doc.errors.map((e) => {
      const from = lines.linePos(e.pos[0]);
      const to = lines.linePos(e.pos[1]);
      return diagnosticAt({ file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col }, "error", describeYamlError(e.code, e.message));
    });
    diagnostics.push(...errors, ...findDuplicateKeys(file, doc, lines));
    if (errors.length > 0 || doc.contents === null) return;
    try {
      documents.push({ file, index, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), locator });
    } catch (error) {
      diagnostics.push(diagnosticAt(locator.at([]), "error", `${(error as Error).message}: this document expands too many aliases (at most ${MAX_ALIAS_COUNT}); write the values out instead of nesting anchors`));
    }
  });
  return { documents, diagnostics };
}

const HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: "indent with spaces, not tabs",
  BAD_INDENT: "check the indentation of this line against its siblings",
};

function describeYamlError(code: string, message: string): string {
  const firstLine = message.split("\n")[0] ?? message;
  const hint = HINTS[code];
  return `invalid YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}${hint ? ` (${hint})` : ""}`;
}
