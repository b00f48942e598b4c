import { z } from "zod";
import { setKustomizeImages, type KustomizeImage } from "../edits/set-kustomize-images.js";
import { asStepFailure } from "./as-step-failure.js";
import { findFreightImage } from "./find-freight-image.js";
import { readTextFile } from "./read-text-file.js";
import { defineStep, StepFailure } from "./step.js";

const schema = z.object({
  path: z.string().min(1),
  images: z
    .array(
      z.object({
        image: z.string().min(1),
        name: z.string().min(1).optional(),
        newName: z.string().min(1).optional(),
        tag: z.string().min(1).optional(),
        digest: z.string().min(1).optional(),
        useDigest: z.boolean().optional(),
        fromOrigin: z.object({ name: z.string().min(1) }).optional(),
      }),
    )
    .min(1),
});

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** Sets image tags or digests in a kustomization (from config, or from the freight). */
export const kustomizeSetImage = defineStep(schema, async (config, env) => {
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
});

async function findKustomization(dir: string, exists: (path: string) => Promise<boolean>): Promise<string> {
  for (const name of KUSTOMIZATION_FILES) {
    const candidate = `${dir.replace(/\/+$/, "")}/${name}`;
    if (await exists(candidate)) return candidate;
  }
  throw new StepFailure(`no kustomization.yaml in "${dir}"; point path at the directory that holds it`);
}
