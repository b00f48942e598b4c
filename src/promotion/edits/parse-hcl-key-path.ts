export type HclKeyStep = { kind: "name"; name: string } | { kind: "index"; index: number };

const MAX_KEY_LENGTH = 1024;

/**
 * Splits an HCL key path into names and list indexes: `locals.image_tag`, `tags.version`,
 * `subnets[1]`, `variable.image_tag.default`, `resource.aws_lambda_function.fn.image_uri`.
 * A name is anything up to the next `.` or `[`; `\.` puts a dot inside a name (as in the other
 * update steps), and `["…"]` (a JSON string) spells any name, dots and brackets included.
 * `[n]` is a list index; a name made of digits (`ports.0`) is an object key, never an index.
 */
export function parseHclKeyPath(key: string): HclKeyStep[] {
  if (key.trim() === "") throw new Error("the key is empty; write a path such as image_tag, tags.version or subnets[1]");
  if (key.length > MAX_KEY_LENGTH) throw new Error(`the key is longer than ${MAX_KEY_LENGTH} characters`);
  const steps: HclKeyStep[] = [];
  let i = 0;
  let expectName = true;
  while (i < key.length) {
    const char = key[i];
    if (char === "[") {
      const close = closingBracket(key, i);
      const inner = key.slice(i + 1, close);
      steps.push(/^\d+$/.test(inner) ? { kind: "index", index: Number(inner) } : { kind: "name", name: quotedName(inner, key) });
      i = close + 1;
      expectName = false;
    } else if (char === ".") {
      if (expectName) throw new Error(`key "${key}" has an empty part (two dots in a row, or a dot at an end)`);
      i++;
      expectName = true;
      if (i === key.length) throw new Error(`key "${key}" has an empty part (two dots in a row, or a dot at an end)`);
    } else {
      if (!expectName) throw new Error(`key "${key}" needs a dot before "${key.slice(i)}"`);
      let name = "";
      while (i < key.length && key[i] !== "." && key[i] !== "[") {
        if (key[i] === "\\" && key[i + 1] === ".") i++;
        if (key[i] === "]") throw new Error(`key "${key}" has a "]" without its "["`);
        name += key[i];
        i++;
      }
      steps.push({ kind: "name", name });
      expectName = false;
    }
  }
  return steps;
}

function closingBracket(key: string, open: number): number {
  if (key[open + 1] !== '"') {
    const close = key.indexOf("]", open);
    if (close === -1) throw new Error(`key "${key}" has a "[" without its "]"`);
    return close;
  }
  for (let i = open + 2; i < key.length; i++) {
    if (key[i] === "\\") i++;
    else if (key[i] === '"') {
      if (key[i + 1] !== "]") throw new Error(`key "${key}": a quoted name must end with "]"`);
      return i + 1;
    }
  }
  throw new Error(`key "${key}" has an unterminated quoted name`);
}

function quotedName(inner: string, key: string): string {
  try {
    const name = JSON.parse(inner) as unknown;
    if (typeof name === "string" && name !== "") return name;
  } catch {
    // reported below with the fix
  }
  throw new Error(`key "${key}": write a list index as [0] or a name as ["name"] (a JSON string), not [${inner}]`);
}

/** Writes steps back as a path, for messages: `tags.version`, `subnets[1]`. */
export function formatHclKeyPath(steps: HclKeyStep[]): string {
  return steps.map((step, i) => (step.kind === "index" ? `[${step.index}]` : `${i === 0 ? "" : "."}${step.name}`)).join("");
}
