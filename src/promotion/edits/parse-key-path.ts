/**
 * Splits a Kargo key path ("spec.template.spec.containers.0.image", `\.` for a dot inside a key)
 * into its parts; all-digit parts are list indexes.
 */
export function parseKeyPath(key: string): (string | number)[] {
  if (key.trim() === "") throw new Error("the key is empty; write a dotted path such as image.tag");
  const parts: (string | number)[] = [];
  let current = "";
  for (let i = 0; i < key.length; i++) {
    const char = key[i] as string;
    if (char === "\\" && key[i + 1] === ".") {
      current += ".";
      i++;
    } else if (char === ".") {
      parts.push(part(current, key));
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(part(current, key));
  return parts;
}

function part(text: string, key: string): string | number {
  if (text === "") throw new Error(`key "${key}" has an empty part (two dots in a row, or a dot at an end)`);
  return /^\d+$/.test(text) ? Number(text) : text;
}
