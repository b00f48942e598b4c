import { z } from "zod";
import { setKustomizeImages, type KustomizeImage } from "../edits/set-kustomize-images.js";
import { fromOrigin } from "../step-support/config-fields.js";
import { asStepFailure } from "../step-support/as-step-failure.js";
import { findFreightImage } from "../step-support/find-freight-image.js";
import { readTextFile } from "../step-support/read-text-file.js";
import { defineStep } from "../step-definition.js";
import { StepFailure } from "../step-failure.js";

const schema = z.strictObject({
  path: z.string().min(1),
  images: z
    .array(
      z
        .strictObject({
          image: z.string().min(1),
          name: z.string().min(1).optional(),
          newName: z.string().min(1).optional(),
          tag: z.string().min(1).optional(),
          digest: z.string().min(1).optional(),
          useDigest: z.boolean().optional(),
          fromOrigin: fromOrigin.optional(),
        })
        .refine((i) => !(i.tag && i.digest), { message: "set tag or digest, not both" }),
    )
    .min(1),
});

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** Sets image tags or digests in a kustomization (from config, or from the freight). */
export const kustomizeSetImage = defineStep({
  uses: "kustomize-set-image",
  config: schema,
  async run(config, env) {
    const file = await findKustomization(config.path, (p) => env.workspace.exists(p));
    const images: KustomizeImage[] = config.images.map((image, index) => {
      let tag = image.tag;
      let digest = image.digest;
      if (!tag && !digest) {
        const fromFreight = findFreightImage(env.promotion, image.image, `config.images[${index}]`, image.fromOrigin);
        if (image.useDigest && !fromFreight.digest) throw new StepFailure(`config.images[${index}]: useDigest is set but the freight has no digest for ${image.image}`);
        if (image.useDigest) digest = fromFreight.digest;
        else tag = fromFreight.tag;
      }
      return { name: image.name ?? image.image, ...(image.newName ? { newName: image.newName } : {}), ...(digest ? { digest } : { newTag: tag as string }) };
    });
    const text = await readTextFile(env.workspace, file);
    await env.workspace.writeFile(file, asStepFailure(() => setKustomizeImages(text, images, file)));
    const described = images.map((i) => `${i.newName ?? i.name}${i.digest ? `@${i.digest}` : `:${i.newTag}`}`).join(", ");
    return { phase: "Succeeded", outputs: { commitMessage: `Updated ${config.path} to use image${images.length > 1 ? "s" : ""} ${described}` } };
  },
});

async function findKustomization(dir: string, exists: (path: string) => Promise<boolean>): Promise<string> {
  for (const name of KUSTOMIZATION_FILES) {
    const candidate = `${dir.replace(/\/+$/, "")}/${name}`;
    if (await exists(candidate)) return candidate;
  }
  throw new StepFailure(`no kustomization.yaml in "${dir}"; point path at the directory that holds it`);
}
