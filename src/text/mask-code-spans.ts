/** ASCII punctuation: what a backslash escapes in Markdown (an escaped backtick opens no code span). */
const ESCAPABLE = /[!-/:-@[-`{-~]/;

/**
 * The text with every inline code span (`` `x` ``, ``` ``a`b`` ```) turned into spaces, newlines
 * kept, so a line that starts inside a code span does not start with what the span holds. A span
 * closes at the next run of exactly as many backticks; a run with no such partner is literal.
 * Linear: closers are found through one forward-moving cursor per run length.
 */
export function maskCodeSpans(text: string): string {
  const runs = backtickRuns(text);
  const byLength = new Map<number, { starts: number[]; cursor: number }>();
  for (const run of runs) {
    const list = byLength.get(run.length) ?? { starts: [], cursor: 0 };
    list.starts.push(run.start);
    byLength.set(run.length, list);
  }
  const masked: string[] = [];
  let copied = 0;
  let i = 0;
  let run = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && ESCAPABLE.test(text[i + 1] ?? "")) {
      i += 2;
      continue;
    }
    if (c !== "`") {
      i += 1;
      continue;
    }
    // The run holding `i`; an escape may have taken its first backtick, so the opener is what is left.
    while ((runs[run] as Run).start + (runs[run] as Run).length <= i) run += 1;
    const end = (runs[run] as Run).start + (runs[run] as Run).length;
    const closer = nextRunOfLength(byLength.get(end - i), end);
    if (closer === undefined) {
      i = end;
      continue;
    }
    const after = closer + (end - i);
    masked.push(text.slice(copied, i), text.slice(i, after).replace(/[^\n]/g, " "));
    copied = after;
    i = after;
  }
  masked.push(text.slice(copied));
  return masked.join("");
}

interface Run {
  start: number;
  length: number;
}

function backtickRuns(text: string): Run[] {
  const runs: Run[] = [];
  for (let i = text.indexOf("`"); i >= 0; i = text.indexOf("`", i)) {
    let j = i;
    while (text[j] === "`") j += 1;
    runs.push({ start: i, length: j - i });
    i = j;
  }
  return runs;
}

/** The first run of this length that starts at or after `from`; the cursor never moves back. */
function nextRunOfLength(list: { starts: number[]; cursor: number } | undefined, from: number): number | undefined {
  if (!list) return undefined;
  while (list.cursor < list.starts.length && (list.starts[list.cursor] as number) < from) list.cursor += 1;
  return list.starts[list.cursor];
}
