import { isCollection, isMap, isPair, isScalar, type Document, type LineCounter, type Node } from "yaml";
import { diagnosticAt, type Diagnostic } from "./diagnostic.js";

/**
 * A key set twice in one mapping, as a warning at the second: the last value is kept, as the
 * lenient YAML readers Kargo users' manifests were written for do (refusing the whole file would
 * lose them). One set of keys per mapping and one pass over the document, so it is linear: the
 * yaml package's own `uniqueKeys` check compares each key with all before it.
 */
export function findDuplicateKeys(file: string, doc: Document, lines: LineCounter): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // An explicit stack: a document nested thousands deep must not overflow the call stack.
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isCollection(node)) continue;
    const seen = isMap(node) ? new Map<string, Node>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        pending.push(item);
        continue;
      }
      pending.push(item.value);
      const key = item.key;
      if (!seen || !isScalar(key) || !key.range) continue;
      // The key as the parsed object will have it: `1` and '1' are one key there, null is "".
      const name = key.value === null ? "" : String(key.value);
      const earlier = seen.get(name);
      seen.set(name, key);
      if (!earlier?.range) continue;
      const first = lines.linePos(earlier.range[0]).line;
      const from = lines.linePos(key.range[0]);
      const to = lines.linePos(key.range[1]);
      diagnostics.push(
        diagnosticAt(
          { file, line: from.line, column: from.col, endLine: to.line, endColumn: to.col },
          "warning",
          `key "${name.slice(0, 60)}" is set again here (it was set on line ${first}): the value on line ${from.line} is used and the one on line ${first} ignored, as Kargo's YAML reader does; remove one of them`,
        ),
      );
    }
  }
  return diagnostics;
}
