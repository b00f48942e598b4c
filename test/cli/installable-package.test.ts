import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
// Packing compiles dist/ (tsc, about a minute on two idle cores): generous, since the suite runs files side by side.
const PACK_AND_INSTALL_MS = 480_000;

interface PackedFile {
  path: string;
}
interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  optional?: boolean;
  link?: boolean;
  [field: string]: unknown;
}

let work = "";
let packed: { filename: string; files: PackedFile[] };
let installed = "";

/**
 * The package as a user gets it: `npm pack` (which runs `prepare`, so dist/ is built fresh), then
 * the tarball installed into an empty directory outside the checkout, with no network.
 *
 * Why not `npm install -g --offline ./stagecoach-*.tgz`: `npm ci` fills the npm cache with the
 * dependency tarballs (by integrity) but not with the registry's metadata documents that
 * `npm install` needs to resolve version ranges, so an offline global install stops with
 * ENOTCACHED. A lockfile that pins every production dependency of the tarball to the version and
 * integrity in package-lock.json lets `npm ci --offline` install from the cache alone — the same
 * tree a global install builds, without dev dependencies. `--ignore-scripts` because the
 * dependencies' install scripts (optional native builds; npm 11 holds them back by default too)
 * would reach for the network or a compiler; the CLI needs none of them. CI runs the real global
 * install, with network, in .github/workflows/ci.yml.
 */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "stagecoach-package-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  // `prepare` (tsc) prints nothing, but npm may print notices before the JSON.
  packed = (JSON.parse(stdout.slice(stdout.indexOf("["))) as Array<typeof packed>)[0]!;
  installed = join(work, "install");
  await writeInstallRoot(installed, join(work, packed.filename));
  await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: installed, maxBuffer: 16 * 1024 * 1024 });
}, PACK_AND_INSTALL_MS);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function writeInstallRoot(dir: string, tarball: string): Promise<void> {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    "": { dependencies: { stagecoach: spec } },
    "node_modules/stagecoach": {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash("sha512").update(await readFile(tarball)).digest("base64")}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    // The checkout's own entries: the root and its `file:.` link to itself (a dev dependency).
    if (path === "" || entry.link || entry.dev) continue;
    const { dev: _dev, devOptional, peer: _peer, ...kept } = entry;
    packages[path] = devOptional ? { ...kept, optional: true } : kept;
  }
  await run("mkdir", ["-p", dir]);
  await writeFile(join(dir, "package.json"), JSON.stringify({ private: true, dependencies: { stagecoach: spec } }, null, 2));
  await writeFile(join(dir, "package-lock.json"), JSON.stringify({ name: "install", lockfileVersion: 3, requires: true, packages }, null, 2));
}

/** Runs the installed `stagecoach` from a directory outside the checkout; never throws on a non-zero exit. */
async function stagecoach(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = join(installed, "node_modules/.bin/stagecoach");
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: work, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("the packed package", () => {
  it("holds the launcher, the compiled CLI, the schema, app.yml and the license, and no sources, tests or source maps", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["bin/stagecoach.js", "dist/cli/main.js", "dist/server.js", "schema/stagecoach.schema.json", "app.yml", "LICENSE", "CHANGELOG.md", "README.md", "package.json"]));
    expect(paths.filter((p) => /^(src|test|bench|docs)\//.test(p) || p.endsWith(".map") || p.endsWith(".ts"))).toEqual([]);
  });

  it("is installed as a package of its own, outside the checkout", async () => {
    const target = await realpath(join(installed, "node_modules/.bin/stagecoach"));
    expect(target).toBe(await realpath(join(installed, "node_modules/stagecoach/bin/stagecoach.js")));
    expect(target.startsWith(ROOT)).toBe(false);
  });
});

describe("the installed stagecoach command", () => {
  it("--help lists every command of the command table and exits 0", async () => {
    const { code, stdout } = await stagecoach("--help");
    expect(code).toBe(0);
    const listed = [...stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(COMMANDS).sort());
  });

  it("--version prints the package's version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
    const { code, stdout } = await stagecoach("--version");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it("validate accepts a good pipeline and exits 0", async () => {
    const { code, stdout, stderr } = await stagecoach("validate", join(ROOT, "test/fixtures/config/good/pipeline"));
    expect(stderr).toBe("");
    expect(stdout.trim()).toBe("guestbook: 1 warehouses, 3 stages, 0 promotion tasks");
    expect(code).toBe(0);
  });

  it("validate refuses a cyclic pipeline with path:line:col and exits 1", async () => {
    const file = join(ROOT, "test/fixtures/config/hostile/cycle.yml");
    const { code, stderr } = await stagecoach("validate", file);
    expect(stderr).toContain(`${file}:14:5: stages form a cycle: prod → uat → prod`);
    expect(code).toBe(1);
  });
});
