import { execFile } from "node:child_process";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { formatDiagnostic, KARGO_CONFIG_DIR, NATIVE_CONFIG_PATH, validateProject } from "../../config/index.js";
import type { CliCommand } from "../command.js";
import { readOverlayLayout } from "../read-overlay-layout.js";
import { projectNameFor } from "../read-project-at-path.js";
import { renderInitConfig } from "../render-init-config.js";

const USAGE = [
  "Usage: stagecoach init [--layout DIR] [--repo-url URL] [--project NAME] [--force] [--dry-run] [PATH]",
  "",
  "Writes PATH/.github/stagecoach.yml (PATH: a checkout of your GitOps repository, default .) from its",
  "env/<stage>/ or overlays/<stage>/ kustomizations: one warehouse subscribing to the images they name",
  "(images: entries, and image: fields of the resources they list), the stages in promotion order",
  "(dev, test/qa, staging/uat/preprod, prod; other names last, alphabetically), each setting its",
  "images with the kustomize: short form. The file passes `stagecoach validate`; read it, then push it.",
  "",
  "  --layout DIR    the directory whose subdirectories are the stages (default: env/ or overlays/)",
  "  --repo-url URL  the GitOps repository's URL (default: the checkout's git remote origin)",
  "  --project NAME  the project's name (default: the directory's name)",
  "  --force         replace an existing .github/stagecoach.yml",
  "  --dry-run       print the file instead of writing it",
].join("\n");

const run = promisify(execFile);

export const initCommand: CliCommand = {
  summary: "write .github/stagecoach.yml from a checkout's env/<stage>/ or overlays/<stage>/ kustomizations",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { layout: { type: "string" }, "repo-url": { type: "string" }, project: { type: "string" }, force: { type: "boolean" }, "dry-run": { type: "boolean" } },
    });
    if (positionals.length > 1) {
      io.err(`stagecoach init: give at most one PATH (the checkout)\n\n${USAGE}`);
      return 2;
    }
    const checkout = positionals[0] ?? ".";
    if (!(await stat(checkout).catch(() => undefined))?.isDirectory()) {
      io.err(`stagecoach init: ${checkout} is not a directory; give the path of your GitOps repository's checkout`);
      return 2;
    }
    const target = join(checkout, NATIVE_CONFIG_PATH);
    const refusal = await refuseToWrite(checkout, target, values.force === true);
    if (refusal && !values["dry-run"]) {
      io.err(`stagecoach init: ${refusal}`);
      return 1;
    }
    if (refusal) io.err(`note: ${refusal}`);
    const layout = await readOverlayLayout(checkout, values.layout);
    const repoURL = values["repo-url"] ?? (await readOriginUrl(checkout));
    if (!repoURL) {
      io.err(`stagecoach init: ${checkout} has no git remote "origin" to take the repository's URL from; give --repo-url https://github.com/<owner>/<repo>`);
      return 1;
    }
    const project = values.project ?? projectNameFor(checkout);
    const config = renderInitConfig({
      project,
      repoURL,
      layout: layout.root,
      stages: layout.stages.map((s) => ({ directory: s.directory, path: s.path, images: s.images.map((i) => i.repository) })),
    });
    // What init writes must be a config the App accepts; a failure here is init's own bug, said as such.
    const check = validateProject({ native: [{ path: NATIVE_CONFIG_PATH, text: config.text }], kargo: [] }, { projectName: project });
    if (!check.valid) throw new Error(`the config init wrote does not validate (please report this):\n${check.diagnostics.map(formatDiagnostic).join("\n")}`);
    for (const note of [...layout.notes, ...config.notes]) io.err(`note: ${note}`);
    if (values["dry-run"]) {
      io.out(config.text.trimEnd());
      return 0;
    }
    await mkdir(join(checkout, ".github"), { recursive: true });
    await writeFile(target, config.text, { flag: values.force ? "w" : "wx" });
    io.out(`wrote ${target}: warehouse ${config.warehouse}, stages ${config.order.join(" → ")}`);
    io.out(`next: stagecoach validate ${checkout}, then commit and push ${NATIVE_CONFIG_PATH}`);
    return 0;
  },
};

/** Why init must not write here, if it must not: a config exists (without --force), or the Kargo form is in use. */
async function refuseToWrite(checkout: string, target: string, force: boolean): Promise<string | undefined> {
  const manifests = (await readdir(join(checkout, KARGO_CONFIG_DIR)).catch(() => [])).filter((n) => /\.ya?ml$/.test(n));
  if (manifests.length > 0) return `${join(checkout, KARGO_CONFIG_DIR)}/ holds Kargo manifests; a repository uses one form, so init writes no ${NATIVE_CONFIG_PATH} beside them`;
  if (!force && (await stat(target).catch(() => undefined))) return `${target} exists; run with --force to replace it, or --dry-run to see what init would write`;
  return undefined;
}

/** The checkout's `origin` as an https URL without credentials (`git@github.com:acme/gitops.git` → `https://github.com/acme/gitops`). */
async function readOriginUrl(checkout: string): Promise<string | undefined> {
  const remote = await run("git", ["config", "--get", "remote.origin.url"], { cwd: checkout, timeout: 5_000 }).then(
    ({ stdout }) => stdout.trim(),
    () => "",
  );
  return remote ? httpsRepositoryUrl(remote) : undefined;
}

export function httpsRepositoryUrl(remote: string): string | undefined {
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(remote);
  let url: URL;
  try {
    url = new URL(scp ? `https://${scp[1]}/${scp[2]}` : remote);
  } catch {
    return undefined;
  }
  if (!["https:", "http:", "ssh:", "git:"].includes(url.protocol)) return undefined;
  const host = url.protocol.startsWith("http") ? url.host : url.hostname;
  return `https://${host}${url.pathname.replace(/\.git$/, "").replace(/\/+$/, "")}`;
}
