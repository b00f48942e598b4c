import { z } from "zod";
import { updateYamlText } from "../edits/update-yaml-text.js";
import { fromOrigin } from "../step-support/config-fields.js";
import { asStepFailure } from "../step-support/as-step-failure.js";
import { findFreightImage } from "../step-support/find-freight-image.js";
import { readTextFile } from "../step-support/read-text-file.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  path: z.string().min(1),
  images: z.array(z.strictObject({ image: z.string().min(1), key: z.string().min(1), value: z.enum(["Tag", "Digest", "ImageAndTag", "ImageAndDigest"]), fromOrigin: fromOrigin.optional() })).min(1),
});

// What each `value` kind writes, from the image repo and the freight's tag/digest.
const RENDER: Readonly<Record<string, (repo: string, image: { tag: string; digest?: string }) => string | undefined>> = {
  Tag: (_r, i) => i.tag,
  Digest: (_r, i) => i.digest,
  ImageAndTag: (r, i) => `${r}:${i.tag}`,
  ImageAndDigest: (r, i) => (i.digest ? `${r}@${i.digest}` : undefined),
};

/** Writes the freight's image tag/digest into a Helm values file (older Kargo manifests). */
export const helmUpdateImage = defineStep({
  uses: "helm-update-image",
  deprecated: "yaml-update (set the values key to ${{ imageFrom('<repoURL>').Tag }})",
  config: schema,
  async run(config, env) {
    const updates = config.images.map((image, index) => {
      const found = findFreightImage(env.promotion, image.image, `config.images[${index}]`, image.fromOrigin);
      const value = RENDER[image.value]?.(image.image, found);
      if (value === undefined) throw new StepFailure(`config.images[${index}]: the freight has no digest for ${image.image}; use value: Tag`);
      return { key: image.key, value };
    });
    const text = await readTextFile(env.workspace, config.path);
    await env.workspace.writeFile(config.path, asStepFailure(() => updateYamlText(text, updates, config.path)));
    return { phase: "Succeeded", outputs: { commitMessage: `Updated ${config.path}: ${updates.map((u) => `${u.key}=${u.value}`).join(", ")}` } };
  },
});
