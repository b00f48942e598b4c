import { isMultiSource, sourcesOf } from "./application-sources.js";
import { normalizeRepoUrl, sameRepo } from "./normalize-repo-url.js";
import type { ApplicationSource, Application, ApplicationSpec, HelmParameter } from "./types.js";
import type { ArgoCdAppUpdate, ArgoCdSourceUpdate, FreightArtifacts, HelmImageUpdate, KustomizeImageUpdate } from "./update-config.js";

export interface SourceUpdatePlan {
  spec: ApplicationSpec;
  /** Whether the spec differs from the Application's current one. */
  changed: boolean;
  /** Per source position: the revision the app must reach, where the update set one. */
  expectedRevisions: Array<string | undefined>;
  /** What changed, one line each, for the promotion's log and PR comment. */
  changes: string[];
}

/**
 * Applies an argocd-update `sources[]` block to an Application's spec. Pure: returns the new spec
 * and what to wait for; throws with the config field to fix when an update matches no source or
 * the freight lacks the artifact it needs.
 */
export function planSourceUpdate(app: Application, update: ArgoCdAppUpdate, freight: FreightArtifacts): SourceUpdatePlan {
  const label = `${app.metadata?.namespace ?? "argocd"}/${app.metadata?.name ?? "?"}`;
  const sources = structuredClone(sourcesOf(app));
  const expectedRevisions: Array<string | undefined> = sources.map(() => undefined);
  const changes: string[] = [];

  (update.sources ?? []).forEach((sourceUpdate, index) => {
    const field = `sources[${index}]`;
    const positions = sources.flatMap((source, position) => (matches(source, sourceUpdate) ? [position] : []));
    if (positions.length === 0) {
      const known = sources.map((s) => (s.chart ? `${s.repoURL} (chart ${s.chart})` : s.repoURL)).join(", ") || "none";
      throw new Error(
        `argocd-update ${field}: Application ${label} has no source with repoURL ${sourceUpdate.repoURL}${sourceUpdate.chart ? ` and chart ${sourceUpdate.chart}` : ""}; ` +
          `its sources are: ${known}. Fix ${field}.repoURL${sourceUpdate.chart ? "/chart" : ""} to name one of them.`,
      );
    }
    for (const position of positions) {
      const source = sources[position]!;
      const revision = targetRevision(sourceUpdate, source, freight, field);
      if (revision !== undefined) {
        if (source.targetRevision !== revision) changes.push(`${label} source ${position + 1}: targetRevision ${source.targetRevision ?? "(none)"} → ${revision}`);
        source.targetRevision = revision;
        expectedRevisions[position] = revision;
      }
      for (const [imageIndex, image] of (sourceUpdate.helm?.images ?? []).entries()) {
        const value = helmValue(image, freight, `${field}.helm.images[${imageIndex}]`);
        if (setHelmParameter(source, image.key, value)) changes.push(`${label} source ${position + 1}: helm parameter ${image.key}=${value}`);
      }
      for (const [imageIndex, image] of (sourceUpdate.kustomize?.images ?? []).entries()) {
        const override = kustomizeImage(image, freight, `${field}.kustomize.images[${imageIndex}]`);
        if (setKustomizeImage(source, image.repoURL, override)) changes.push(`${label} source ${position + 1}: kustomize image ${override}`);
      }
    }
  });

  const spec = structuredClone(app.spec ?? {});
  if (isMultiSource(app)) spec.sources = sources;
  else if (sources[0]) spec.source = sources[0];
  return { spec, changed: changes.length > 0, expectedRevisions, changes };
}

function matches(source: ApplicationSource, update: ArgoCdSourceUpdate): boolean {
  if (update.chart) return source.chart === update.chart && (sameRepo(source.repoURL, update.repoURL) || sameRepo(`${source.repoURL}/${source.chart}`, update.repoURL));
  return !source.chart && sameRepo(source.repoURL, update.repoURL);
}

function targetRevision(update: ArgoCdSourceUpdate, source: ApplicationSource, freight: FreightArtifacts, field: string): string | undefined {
  if (update.desiredRevision) return update.desiredRevision;
  if (!update.updateTargetRevision) return undefined;
  if (source.chart) {
    const chart = (freight.charts ?? []).find(
      (c) => (sameRepo(c.repoURL, source.repoURL) && c.name === source.chart) || sameRepo(c.repoURL, `${source.repoURL}/${source.chart}`),
    );
    if (!chart) throw missingArtifact(freight, field, `chart ${source.chart} from ${source.repoURL}`, "charts");
    return chart.version;
  }
  const commit = (freight.commits ?? []).find((c) => sameRepo(c.repoURL, source.repoURL));
  if (!commit) throw missingArtifact(freight, field, `commit of ${source.repoURL}`, "commits");
  return commit.tag || commit.id;
}

const IMAGE_VALUES: Record<string, (image: { repoURL: string; tag?: string; digest?: string }) => string | undefined> = {
  ImageAndTag: (image) => image.tag && `${image.repoURL}:${image.tag}`,
  Tag: (image) => image.tag,
  ImageAndDigest: (image) => image.digest && `${image.repoURL}@${image.digest}`,
  Digest: (image) => image.digest,
};

function helmValue(update: HelmImageUpdate, freight: FreightArtifacts, field: string): string {
  const derive = update.repoURL ? IMAGE_VALUES[update.value] : undefined;
  if (!update.repoURL || !derive) return update.value;
  const image = findImage(freight, update.repoURL, field);
  const value = derive(image);
  if (!value) throw new Error(`argocd-update ${field}: freight ${freight.name ?? ""} has no ${update.value.includes("Digest") ? "digest" : "tag"} for image ${update.repoURL}.`);
  return value;
}

function kustomizeImage(update: KustomizeImageUpdate, freight: FreightArtifacts, field: string): string {
  let suffix: string;
  if (update.digest) suffix = `@${update.digest}`;
  else if (update.tag) suffix = `:${update.tag}`;
  else {
    const image = findImage(freight, update.repoURL, field);
    const value = update.useDigest ? image.digest : image.tag;
    if (!value) throw new Error(`argocd-update ${field}: freight ${freight.name ?? ""} has no ${update.useDigest ? "digest" : "tag"} for image ${update.repoURL}; set ${field}.tag or .digest.`);
    suffix = update.useDigest ? `@${value}` : `:${value}`;
  }
  return update.newName ? `${update.repoURL}=${update.newName}${suffix}` : `${update.repoURL}${suffix}`;
}

function findImage(freight: FreightArtifacts, repoURL: string, field: string) {
  const image = (freight.images ?? []).find((i) => normalizeRepoUrl(i.repoURL) === normalizeRepoUrl(repoURL));
  if (!image) throw missingArtifact(freight, field, `image ${repoURL}`, "images");
  return image;
}

function missingArtifact(freight: FreightArtifacts, field: string, what: string, kind: string): Error {
  return new Error(
    `argocd-update ${field}: freight ${freight.name ?? "(unnamed)"} carries no ${what} (its ${kind}: ${
      ((freight as Record<string, Array<{ repoURL: string }> | undefined>)[kind] ?? []).map((a) => a.repoURL).join(", ") || "none"
    }). Subscribe the warehouse to it, or set desiredRevision / tag explicitly.`,
  );
}

function setHelmParameter(source: ApplicationSource, name: string, value: string): boolean {
  const helm = (source.helm ??= {});
  const parameters: HelmParameter[] = (helm.parameters ??= []);
  const existing = parameters.find((p) => p.name === name);
  if (existing?.value === value) return false;
  if (existing) existing.value = value;
  else parameters.push({ name, value });
  return true;
}

/** The image an Argo CD kustomize override applies to: the part before `=`, or the reference without tag/digest. */
function overriddenImage(entry: string): string {
  const equals = entry.indexOf("=");
  if (equals >= 0) return entry.slice(0, equals);
  const withoutDigest = entry.split("@")[0]!;
  const colon = withoutDigest.lastIndexOf(":");
  return colon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, colon) : withoutDigest;
}

function setKustomizeImage(source: ApplicationSource, repoURL: string, override: string): boolean {
  const kustomize = (source.kustomize ??= {});
  const images = (kustomize.images ??= []);
  const index = images.findIndex((entry) => normalizeRepoUrl(overriddenImage(entry)) === normalizeRepoUrl(repoURL));
  if (images[index] === override) return false;
  if (index >= 0) images[index] = override;
  else images.push(override);
  return true;
}
