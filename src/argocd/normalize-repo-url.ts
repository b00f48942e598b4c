/**
 * One spelling per repository, so `git@github.com:org/app.git`, `https://github.com/org/app/` and
 * `oci://ghcr.io/org/charts` (Argo CD stores OCI Helm repos without the scheme) compare equal.
 */
export function normalizeRepoUrl(url: string): string {
  let out = url.trim().toLowerCase();
  const scp = /^[\w.-]+@([^:/]+):(.*)$/.exec(out);
  if (scp) out = `${scp[1]}/${scp[2]}`;
  out = out.replace(/^[a-z+]+:\/\//, "").replace(/^[^@/]+@/, "");
  return out.replace(/\/+$/, "").replace(/\.git$/, "");
}

export function sameRepo(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normalizeRepoUrl(a) === normalizeRepoUrl(b);
}
