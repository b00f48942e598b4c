import { orderStages } from "./order-stages.js";

export interface InitStage {
  /** The stage directory's name as found (`Prod`, `us_east`). */
  directory: string;
  /** The stage directory relative to the checkout (`env/dev`). */
  path: string;
  /** Image repositories the stage's kustomizations name, in the order found. */
  images: string[];
}

export interface InitInput {
  project: string;
  repoURL: string;
  /** Where the stages were found (`env`), for the file's header. */
  layout: string;
  stages: InitStage[];
}

export interface InitConfig {
  text: string;
  /** Stage names in promotion order. */
  order: string[];
  warehouse: string;
  notes: string[];
}

const K8S_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `.github/stagecoach.yml` in the native form for a checkout's stage directories: one warehouse
 * subscribing to every image found, the stages in promotion order (the first auto-promoted from
 * the warehouse, each later group taking freight the previous group verified), each stage
 * setting its own images through the `kustomize:` short form.
 */
export function renderInitConfig(input: InitInput): InitConfig {
  const notes: string[] = [];
  const images = [...new Set(input.stages.flatMap((s) => s.images))];
  if (images.length === 0) {
    throw new Error(
      `no images found in ${input.stages.map((s) => `${s.path}/`).join(", ")}: neither an images: list in a kustomization nor an image: field in the resources they list. Add an images: entry (- name: ghcr.io/acme/app, newTag: 1.0.0) to each stage's kustomization.yaml and run init again`,
    );
  }
  const byName = new Map<string, InitStage>();
  for (const stage of input.stages) {
    const name = stageName(stage.directory);
    const taken = byName.get(name);
    if (taken) throw new Error(`${taken.path} and ${stage.path} would both be stage "${name}"; rename one directory`);
    if (name !== stage.directory) notes.push(`${stage.path}: stage named "${name}" (stage names are lowercase letters, digits and '-')`);
    byName.set(name, stage);
  }
  const { groups, unknown } = orderStages([...byName.keys()]);
  if (unknown.length > 0) {
    notes.push(`not a usual stage name: ${unknown.join(", ")}; placed after the others in alphabetical order. Change their from: in the file if that is not your order`);
  }
  const warehouse = warehouseName(images, byName);
  const lines = [
    `# Written by \`stagecoach init\` from the kustomizations under ${input.layout}/. Check it with`,
    "# `stagecoach validate .`, then commit and push it: the stagecoach/config check run validates it on GitHub.",
    `project: ${scalar(input.project)}`,
    `repoURL: ${scalar(input.repoURL)}`,
    "warehouses:",
    `  - name: ${warehouse}`,
    "    subscriptions:",
    ...images.map((image) => `      - image: { repoURL: ${scalar(image)} }`),
    "stages:",
  ];
  groups.forEach((group, index) => {
    const from = index === 0 ? warehouse : flow(groups[index - 1]!);
    for (const name of group) {
      const stage = byName.get(name)!;
      lines.push(`  - name: ${name}`, `    from: ${from}`);
      if (index === 0) lines.push("    autoPromote: true");
      if (stage.images.length === 0) {
        notes.push(`${stage.path}: no images found; the stage is written without kustomize: and promotes nothing until you add one`);
        continue;
      }
      const set = stage.images.length === 1 ? `image: ${scalar(stage.images[0]!)}` : `images: ${flow(stage.images)}`;
      lines.push(`    kustomize: { path: ${scalar(stage.path)}, ${set} }`);
    }
  });
  return { text: `${lines.join("\n")}\n`, order: groups.flat(), warehouse, notes };
}

function stageName(directory: string): string {
  const name = directory.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(0, 63).replace(/-$/, "");
  if (!K8S_NAME.test(name)) throw new Error(`stage directory "${directory}" gives no usable stage name; rename it to lowercase letters, digits and '-'`);
  return name;
}

/**
 * The image's own name for one image (`ghcr.io/acme/app` → `app`), `images` for several; never a
 * stage's name, since `from:` names either.
 */
function warehouseName(images: string[], stages: Map<string, unknown>): string {
  const name = (images.length === 1 ? stageNameOrUndefined(images[0]!.split("/").pop()!) : undefined) ?? "images";
  return stages.has(name) ? `${name}-images` : name;
}

function stageNameOrUndefined(text: string): string | undefined {
  try {
    return stageName(text);
  } catch {
    return undefined;
  }
}

function flow(items: string[]): string {
  return items.length === 1 ? scalar(items[0]!) : `[${items.map(scalar).join(", ")}]`;
}

/** Plain when YAML reads it back as the same string in a flow collection; JSON-quoted otherwise. */
function scalar(text: string): string {
  const plain = /^[A-Za-z_/][A-Za-z0-9._/-]*$/.test(text) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}
