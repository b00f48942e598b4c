import { z } from "zod";
import { updateYamlText } from "../edits/update-yaml-text.js";
import { asStepFailure } from "./as-step-failure.js";
import { findFreightImage } from "./find-freight-image.js";
import { readTextFile } from "./read-text-file.js";
import { defineStep, StepFailure } from "./step.js";

const schema = z.object({
  path: z.string().min(1),
  images: z.array(z.object({ image: z.string().min(1), key: z.string().min(1), value: z.enum(["Tag", "Digest", "ImageAndTag", "ImageAndDigest"]), fromOrigin: z.object({ name: z.string().min(1) }).optional() })).min(1),
});

// What each `value` kind writes, from the image repo and the freight's tag/digest.
const RENDER: Readonly<Record<string, (repo: string, image: { tag: string; digest?: string }) => string | undefined>> = {
  Tag: (_r, i) => i.tag,
  Digest: (_r, i) => i.digest,
  ImageAndTag: (r, i) => `${r}:${i.tag}`,
  ImageAndDigest: (r, i) => (i.digest ? `${r}@${i.digest}` : undefined),
};

/** Writes the freight's image tag/digest into a Helm values file (older Kargo manifests). */
export const helmUpdateImage = defineStep(schema, async (config, env) => {
  const updates = config.images.map((image, index) => {
    const found = findFreightImage(env.promotion, image.image, `config.images[${index}]`, image.fromOrigin);
    const value = RENDER[image.value]?.(image.image, found);
    if (value === undefined) throw new StepFailure(`config.images[${index}]: the freight has no digest for ${image.image}; use value: Tag`);
    return { key: image.key, value };
  });
  const text = await readTextFile(env.workspace, config.path);
  await env.workspace.writeFile(config.path, asStepFailure(() => updateYamlText(text, updates, config.path)));
  return { phase: "Succeeded", outputs: { commitMessage: `Updated ${config.path}: ${updates.map((u) => `${u.key}=${u.value}`).join(", ")}` } };
});
