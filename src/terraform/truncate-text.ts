/**
 * `text` shortened to at most `budget` characters, the note included: cut at the end of a line
 * where one is near, with `note(omitted)` saying how much was left out.
 */
export function truncateText(text: string, budget: number, note: (omitted: number) => string): string {
  if (text.length <= budget) return text;
  const room = Math.max(budget - note(text.length).length - 1, 0);
  const lineEnd = text.lastIndexOf("\n", room);
  const cut = lineEnd > room / 2 ? lineEnd : room;
  return `${text.slice(0, cut)}\n${note(text.length - cut)}`.slice(0, budget);
}
