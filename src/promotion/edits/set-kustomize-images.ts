import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { parseYaml } from "./update-yaml-text.js";

/** One entry of kustomize's `images:` list. */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * Sets entries of a kustomization's `images:` list the way `kustomize edit set image` does: an
 * entry with the same name is updated, otherwise one is appended. Other content keeps its form.
 */
export function setKustomizeImages(text: string, images: KustomizeImage[], file = "kustomization.yaml"): string {
  parseYaml(text, file);
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) throw new Error(`${file} is not a kustomization (expected a mapping at the top)`);
  let list = doc.get("images", true);
  if (list === undefined || list === null) {
    list = new YAMLSeq();
    doc.set("images", list);
  }
  if (!isSeq(list)) throw new Error(`${file}: "images" must be a list`);
  for (const image of images) {
    const existing = list.items.find((item) => isMap(item) && item.get("name") === image.name) as YAMLMap | undefined;
    const entry = existing ?? new YAMLMap();
    if (!existing) {
      entry.set("name", image.name);
      list.items.push(entry);
    }
    if (image.newName !== undefined) entry.set("newName", image.newName);
    if (image.digest !== undefined) {
      entry.set("digest", image.digest);
      entry.delete("newTag");
    } else if (image.newTag !== undefined) {
      entry.set("newTag", image.newTag);
      entry.delete("digest");
    }
  }
  return doc.toString();
}
