import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { httpsRepositoryUrl } from "../../../src/cli/commands/init.js";
import { main } from "../../../src/cli/main.js";
import { orderStages } from "../../../src/cli/order-stages.js";
import { imageRepository } from "../../../src/cli/read-overlay-layout.js";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/layouts");
const dirs: string[] = [];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** A writable copy of a fixture checkout (init writes into it). */
async function checkout(fixture: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "init-cli-"));
  dirs.push(dir);
  const target = join(dir, fixture);
  await cp(join(FIXTURES, fixture), target, { recursive: true });
  return target;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("stagecoach init on an env/<stage>/ layout", () => {
  it("writes .github/stagecoach.yml with the stages in promotion order, and validate accepts it", async () => {
    const repo = await checkout("env-layout");
    const { io, out, err } = capture();
    expect(await main(["init", "--repo-url", "https://github.com/acme/gitops", "--project", "guestbook", repo], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toBe(`wrote ${join(repo, ".github/stagecoach.yml")}: warehouse guestbook, stages dev → qa → staging → prod`);
    expect(await readFile(join(repo, ".github/stagecoach.yml"), "utf8")).toBe(`# Written by \`stagecoach init\` from the kustomizations under env/. Check it with
# \`stagecoach validate .\`, then commit and push it: the stagecoach/config check run validates it on GitHub.
project: guestbook
repoURL: "https://github.com/acme/gitops"
warehouses:
  - name: guestbook
    subscriptions:
      - image: { repoURL: ghcr.io/acme/guestbook }
stages:
  - name: dev
    from: guestbook
    autoPromote: true
    kustomize: { path: env/dev, image: ghcr.io/acme/guestbook }
  - name: qa
    from: dev
    kustomize: { path: env/qa, image: ghcr.io/acme/guestbook }
  - name: staging
    from: qa
    kustomize: { path: env/staging, image: ghcr.io/acme/guestbook }
  - name: prod
    from: staging
    kustomize: { path: env/prod, image: ghcr.io/acme/guestbook }
`);
    const validated = capture();
    expect(await main(["validate", repo], validated.io)).toBe(0);
    expect(validated.out).toEqual(["guestbook: 1 warehouses, 4 stages, 0 promotion tasks"]);
  });

  it("takes the repository URL from the checkout's origin remote, without credentials", async () => {
    const repo = await checkout("env-layout");
    await promisify(execFile)("git", ["init", "-q", repo]);
    await promisify(execFile)("git", ["-C", repo, "remote", "add", "origin", "https://x-access-token:ghs_secret@github.com/acme/gitops.git"]);
    const { io } = capture();
    expect(await main(["init", repo], io)).toBe(0);
    const written = await readFile(join(repo, ".github/stagecoach.yml"), "utf8");
    expect(written).toContain('repoURL: "https://github.com/acme/gitops"\n');
    expect(written).not.toContain("ghs_secret");
  });

  it("refuses to replace an existing config without --force, replaces it with --force", async () => {
    const repo = await checkout("env-layout");
    await mkdir(join(repo, ".github"));
    await writeFile(join(repo, ".github/stagecoach.yml"), "project: mine\n");
    const refused = capture();
    expect(await main(["init", "--repo-url", "https://github.com/acme/gitops", repo], refused.io)).toBe(1);
    expect(refused.err).toEqual([`stagecoach init: ${join(repo, ".github/stagecoach.yml")} exists; run with --force to replace it, or --dry-run to see what init would write`]);
    expect(await readFile(join(repo, ".github/stagecoach.yml"), "utf8")).toBe("project: mine\n");

    expect(await main(["init", "--force", "--repo-url", "https://github.com/acme/gitops", repo], capture().io)).toBe(0);
    expect(await readFile(join(repo, ".github/stagecoach.yml"), "utf8")).toContain("  - name: prod\n");
  });

  it("--dry-run prints the file and writes nothing", async () => {
    const repo = await checkout("env-layout");
    const { io, out } = capture();
    expect(await main(["init", "--dry-run", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(0);
    expect(out.join("\n")).toContain("  - name: staging\n    from: qa\n    kustomize: { path: env/staging, image: ghcr.io/acme/guestbook }");
    expect(await stat(join(repo, ".github")).catch(() => undefined)).toBeUndefined();
  });

  it("refuses a checkout that already holds Kargo manifests", async () => {
    const repo = await checkout("env-layout");
    await mkdir(join(repo, ".github/stagecoach"), { recursive: true });
    await writeFile(join(repo, ".github/stagecoach/pipeline.yaml"), "apiVersion: kargo.akuity.io/v1alpha1\nkind: Project\n");
    const { io, err } = capture();
    expect(await main(["init", "--force", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(1);
    expect(err[0]).toContain(".github/stagecoach/ holds Kargo manifests; a repository uses one form");
  });
});

describe("stagecoach init on an overlays/<stage>/ layout with a shared base", () => {
  it("finds the images in the base's resources, names stages from their directories and says what it left out", async () => {
    const repo = await checkout("overlays-layout");
    const { io, out, err } = capture();
    expect(await main(["init", "--dry-run", "--repo-url", "https://github.com/acme/shop", "--project", "shop", repo], io)).toBe(0);
    expect(out.join("\n")).toBe(`# Written by \`stagecoach init\` from the kustomizations under overlays/. Check it with
# \`stagecoach validate .\`, then commit and push it: the stagecoach/config check run validates it on GitHub.
project: shop
repoURL: "https://github.com/acme/shop"
warehouses:
  - name: images
    subscriptions:
      - image: { repoURL: ghcr.io/acme/shop }
      - image: { repoURL: ghcr.io/acme/shop-migrations }
stages:
  - name: development
    from: images
    autoPromote: true
    kustomize: { path: overlays/development, images: [ghcr.io/acme/shop, ghcr.io/acme/shop-migrations] }
  - name: pre-prod
    from: development
    kustomize: { path: overlays/Pre_Prod, images: [ghcr.io/acme/shop, ghcr.io/acme/shop-migrations] }
  - name: production
    from: pre-prod
    kustomize: { path: overlays/production, images: [ghcr.io/acme/shop, ghcr.io/acme/shop-migrations] }
  - name: sandbox-eu
    from: production
    kustomize: { path: overlays/sandbox-eu, image: ghcr.io/acme/shop-migrations }`);
    expect(err).toEqual([
      'note: base/deployment.yaml: image "{{ .Values.sidecar }}" is not an image reference; left out',
      "note: base/kustomization.yaml: remote resource https://github.com/acme/shared//monitoring?ref=v1 not read (init reads only what the checkout holds)",
      'note: overlays/sandbox-eu/kustomization.yaml: the images entry "ghcr.io/acme/shop" renames to registry.example.com/acme/shop; the kustomize: short form sets the entry named after the image, so rename the entry to name: registry.example.com/acme/shop (and the image in your resources), or give that stage steps: with kustomize-set-image\'s name: field',
      'note: overlays/Pre_Prod: stage named "pre-prod" (stage names are lowercase letters, digits and \'-\')',
      "note: not a usual stage name: sandbox-eu; placed after the others in alphabetical order. Change their from: in the file if that is not your order",
    ]);
  });

  it("writes a file that validate accepts", async () => {
    const repo = await checkout("overlays-layout");
    expect(await main(["init", "--repo-url", "https://github.com/acme/shop", repo], capture().io)).toBe(0);
    const validated = capture();
    expect(await main(["validate", repo], validated.io)).toBe(0);
    expect(validated.out).toEqual(["overlays-layout: 1 warehouses, 4 stages, 0 promotion tasks"]);
  });
});

describe("stagecoach init without a stage layout", () => {
  it("says where it looked and how to point it elsewhere", async () => {
    const repo = await checkout("no-kustomization");
    const { io, err } = capture();
    expect(await main(["init", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(1);
    expect(err).toEqual([
      `stagecoach init: no kustomization found in ${repo}: looked for env/<stage>/kustomization.yaml, envs/<stage>/kustomization.yaml, environments/<stage>/kustomization.yaml, overlays/<stage>/kustomization.yaml. Point --layout at the directory whose subdirectories are your stages (e.g. --layout deploy/overlays)`,
    ]);
    expect(await stat(join(repo, ".github")).catch(() => undefined)).toBeUndefined();
  });

  it("reads the directory --layout names", async () => {
    const repo = await checkout("env-layout");
    await cp(join(repo, "env"), join(repo, "deploy/overlays"), { recursive: true });
    await rm(join(repo, "env"), { recursive: true });
    const { io, out } = capture();
    expect(await main(["init", "--dry-run", "--layout", "deploy/overlays", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(0);
    expect(out.join("\n")).toContain("kustomize: { path: deploy/overlays/dev, image: ghcr.io/acme/guestbook }");
  });

  it("asks which layout to read when there are two", async () => {
    const repo = await checkout("env-layout");
    await cp(join(repo, "env"), join(repo, "overlays"), { recursive: true });
    const { io, err } = capture();
    expect(await main(["init", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(1);
    expect(err).toEqual([`stagecoach init: ${repo} has stages under env/ and overlays/; say which layout to read with --layout env`]);
  });

  it("fails naming the kustomizations when none of them names an image", async () => {
    const repo = await checkout("no-kustomization");
    await writeFile(join(repo, "env/dev/kustomization.yaml"), "resources: [deployment.yaml]\n");
    const { io, err } = capture();
    expect(await main(["init", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(1);
    expect(err[0]).toMatch(/^stagecoach init: no images found in env\/dev\/: neither an images: list .* Add an images: entry/);
  });

  it("reports a broken kustomization at its line and column", async () => {
    const repo = await checkout("env-layout");
    await writeFile(join(repo, "env/qa/kustomization.yaml"), "resources:\n  - deployment.yaml\nimages:\n\t- name: a\n");
    const { io, err } = capture();
    expect(await main(["init", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(1);
    expect(err[0]).toMatch(/^stagecoach init: env\/qa\/kustomization.yaml:4:1: invalid YAML: .*indent with spaces, not tabs/);
  });
});

describe("hostile checkouts", () => {
  it("finishes on kustomizations that include each other, point outside the checkout or list an oversize file", async () => {
    const repo = await checkout("env-layout");
    await mkdir(join(repo, "base"));
    await writeFile(join(repo, "base/kustomization.yaml"), "resources:\n  - ../env/dev\n  - ../../../../etc\n  - huge.yaml\n");
    await writeFile(join(repo, "base/huge.yaml"), `image: ghcr.io/acme/huge:1\n# ${"x".repeat(1024 * 1024)}\n`);
    await writeFile(join(repo, "env/dev/kustomization.yaml"), "resources:\n  - ../../base\n  - deployment.yaml\n");
    const { io, out, err } = capture();
    expect(await main(["init", "--dry-run", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(0);
    expect(out.join("\n")).toContain("kustomize: { path: env/dev, image: ghcr.io/acme/guestbook }");
    expect(out.join("\n")).not.toContain("huge");
    expect(err).toContain("note: base/kustomization.yaml: ../../../../etc is outside the checkout; not read");
    expect(err.some((l) => /^note: base\/huge\.yaml: \d+ bytes, over the 1048576-byte limit; not read$/.test(l))).toBe(true);
  });

  it("stops reading at the file budget when a kustomization lists thousands of files", async () => {
    const repo = await checkout("env-layout");
    const names = Array.from({ length: 600 }, (_, i) => `r${i}.yaml`);
    await Promise.all(names.map((n) => writeFile(join(repo, "env/dev", n), "kind: ConfigMap\n")));
    await writeFile(join(repo, "env/dev/kustomization.yaml"), `images: [{ name: ghcr.io/acme/guestbook }]\nresources:\n${names.map((n) => `  - ${n}`).join("\n")}\n`);
    const { io, err } = capture();
    expect(await main(["init", "--dry-run", "--repo-url", "https://github.com/acme/gitops", repo], io)).toBe(0);
    expect(err).toContain("note: more than 500 files listed by the kustomizations; the rest were not read");
  });
});

describe("the pieces", () => {
  it("orders stages dev → test → staging → prod, groups variants of one rank, and puts unknown names last alphabetically", () => {
    expect(orderStages(["production", "uat", "zeta", "qa", "development", "alpha"])).toEqual({
      groups: [["development"], ["qa"], ["uat"], ["production"], ["alpha"], ["zeta"]],
      unknown: ["alpha", "zeta"],
    });
    expect(orderStages(["prod-us", "staging", "prod-eu", "dev"]).groups).toEqual([["dev"], ["staging"], ["prod-eu", "prod-us"]]);
  });

  it("reads an image reference's repository", () => {
    expect(imageRepository("ghcr.io/acme/app:1.2.3")).toBe("ghcr.io/acme/app");
    expect(imageRepository("localhost:5000/acme/app@sha256:abc")).toBe("localhost:5000/acme/app");
    expect(imageRepository("redis")).toBe("redis");
    expect(imageRepository("${IMAGE}")).toBeUndefined();
  });

  it("turns git remotes into https repository URLs", () => {
    expect(httpsRepositoryUrl("git@github.com:acme/gitops.git")).toBe("https://github.com/acme/gitops");
    expect(httpsRepositoryUrl("ssh://git@ghe.example.com:2222/acme/gitops.git")).toBe("https://ghe.example.com/acme/gitops");
    expect(httpsRepositoryUrl("https://user:token@github.com/acme/gitops/")).toBe("https://github.com/acme/gitops");
    expect(httpsRepositoryUrl("/srv/git/gitops.git")).toBeUndefined();
  });
});
