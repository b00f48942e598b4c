/** What a Secret's value is shown as, as Argo CD masks them: the same mask for equal values, a longer one for a changed value. */
const MASK = "++++++++";
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

type Manifest = Record<string, unknown>;

/**
 * Masks the values of a Secret pair (the one before and the one after) so a diff shows which keys
 * were added, removed or changed, never their contents. The last-applied annotation, which holds
 * the whole Secret, is masked too. Anything that is not a Secret comes back as it was.
 */
export function maskSecretPair(before: Manifest | undefined, after: Manifest | undefined): [Manifest | undefined, Manifest | undefined] {
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const maskedBefore = before ? structuredClone(before) : undefined;
  const maskedAfter = after ? structuredClone(after) : undefined;
  for (const field of ["data", "stringData"]) {
    const a = record(maskedBefore?.[field]);
    const b = record(maskedAfter?.[field]);
    for (const key of new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])) {
      const changed = a?.[key] !== b?.[key];
      if (a && key in a) a[key] = MASK;
      if (b && key in b) b[key] = changed ? `${MASK}+` : MASK;
    }
  }
  for (const manifest of [maskedBefore, maskedAfter]) {
    const annotations = record(record(manifest?.metadata)?.annotations);
    if (annotations && LAST_APPLIED in annotations) annotations[LAST_APPLIED] = MASK;
  }
  return [maskedBefore, maskedAfter];
}

function isSecret(manifest: Manifest | undefined): boolean {
  return manifest?.kind === "Secret" && (manifest.apiVersion === "v1" || manifest.apiVersion === undefined);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
