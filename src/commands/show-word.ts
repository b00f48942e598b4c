const MAX_SHOWN = 40;

/**
 * Quotes a word a user typed for an answer posted back to GitHub: inside a code span it cannot
 * mention anyone or inject markup, and a very long word is cut so the answer stays readable.
 */
export function showWord(word: string): string {
  const cut = word.length > MAX_SHOWN ? `${word.slice(0, MAX_SHOWN)}…` : word;
  return `\`${cut.replaceAll("`", "'")}\``;
}
