import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeFreightId } from "../../src/freight/compute-freight-id.js";
import { listFreight } from "../../src/github/freight-records.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { DiscoveryOutcome } from "../../src/jobs/discovery/discover-warehouse.js";
import { warehouseScheduleKey } from "../../src/jobs/discovery/register-warehouses.js";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startRegistry, type TestRegistry } from "../support/distribution-registry.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const KUSTOMIZATION = (image: string) => `resources:\n  - deployment.yaml\nimages:\n  - name: ${image}\n    newTag: 0.9.0\n`;

/**
 * Discovery as the App runs it: a config on the default branch registers its warehouses, the
 * warehouse finds the newest image in a real registry, the freight is recorded on GitHub, and the
 * auto-promoting stage gets a promotion pull request. Probot's write throttle makes this take seconds.
 */
describe("end to end: registry image → freight on GitHub → promotion pull request", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let registry: TestRegistry;
  let server: RunningServer;
  let installationId = 0;
  const outcomes: DiscoveryOutcome[] = [];
  const states: PromotionState[] = [];
  const unsubscribed: string[][] = [];
  const captured = captureLog();
  let image = "";
  let config = "";

  const waitFor = async <T>(what: string, find: () => T | undefined, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = find();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    const problems = captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 300));
    throw new Error(`timed out waiting for ${what}; log: ${problems.join(" | ")}`);
  };

  beforeAll(async () => {
    registry = await startRegistry();
    image = `${registry.host}/acme/app`;
    await registry.pushImage("acme/app", "1.0.0");
    await registry.pushImage("acme/app", "not-a-version");
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, {
      log: captured.log,
      settings: { discoveryNetwork: { allowedPrivateHosts: [registry.host, "127.0.0.1"] } },
      onDiscovered: (outcome) => outcomes.push(outcome),
      onPromotion: (state) => states.push(state),
      onUnsubscribed: (keys) => unsubscribed.push(keys),
    });
    await t.sandbox.createRepo("acme", "gitops", { files: { "env/dev/kustomization.yaml": KUSTOMIZATION(image), "env/dev/deployment.yaml": "kind: Deployment\n", "env/uat/kustomization.yaml": KUSTOMIZATION(image), "env/uat/deployment.yaml": "kind: Deployment\n" } });
    await t.sandbox.createRepo("acme", "src", { files: { "main.go": "package main\n" } });
    await t.sandbox.installApp(t.app.id, "acme", ["gitops", "src"]);
    installationId = [...t.sandbox.context.store.installations.keys()][0]!;
    config = [
      "project: guestbook",
      "repoURL: https://github.com/acme/gitops",
      "warehouses:",
      "  - name: app",
      "    interval: 10m",
      "    subscriptions:",
      `      - image: { repoURL: ${image}, constraint: ^1.0.0 }`,
      "  - name: src",
      "    subscriptions:",
      `      - git: { repoURL: "${t.sandbox.url}/acme/src", branch: main }`,
      "  - name: unreachable",
      "    subscriptions:",
      "      - image: { repoURL: 127.0.0.1:1/acme/nothing }",
      "stages:",
      "  - name: dev",
      "    from: app",
      "    autoPromote: true",
      `    kustomize: { path: env/dev, image: ${image} }`,
      "  - name: uat",
      "    from: app",
      `    kustomize: { path: env/uat, image: ${image} }`,
    ].join("\n");
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": config }, message: "add pipeline", author: "acme" });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
    await registry?.close();
  });

  it("records the newest matching image as freight on GitHub as soon as the config lands", async () => {
    const first = await waitFor("freight from warehouse app", () => outcomes.find((o) => o.warehouse === "app" && o.created));
    const digest = first.freight!.images![0]!.digest!;
    expect(first.freight).toMatchObject({ name: computeFreightId({ kind: "Warehouse", name: "app" }, { images: [{ repoURL: image, tag: "1.0.0", digest }] }), images: [{ repoURL: image, tag: "1.0.0" }] });
    // The config's arrival triggers it: the explicit discovery, or the new polling schedule's first run.
    expect(["config", "poll"]).toContain(first.reason);
    const octokit = await t.installationOctokit(installationId);
    const onGitHub = await listFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook");
    expect(onGitHub.filter((f) => f.origin.name === "app").map((f) => f.name)).toEqual([first.freight!.name]);
  });

  it("auto-promotes the new freight into dev as a pull request", async () => {
    const running = await waitFor("a promotion waiting for its pull request", () => states.find((s) => s.phase === "Running"));
    expect(running.id).toMatch(/^guestbook\/dev\//);
    const opened = await waitFor("the promotion pull request", () => t.sandbox.deliveries().find((d) => d.event === "pull_request" && d.action === "opened"));
    const pr = JSON.parse(opened.body).pull_request as { number: number; head: { ref: string } };
    expect(await t.sandbox.readFile("acme", "gitops", pr.head.ref, "env/dev/kustomization.yaml")).toContain("newTag: 1.0.0");
    const freight = outcomes.find((o) => o.warehouse === "app" && o.created)!.freight!;
    // Labels are added right after the pull request is created (a second, throttled request).
    const labelled = await waitFor("the promotion labels", () => t.sandbox.deliveries().find((d) => d.event === "pull_request" && d.action === "labeled" && JSON.parse(d.body).pull_request.number === pr.number));
    expect(labelled).toBeDefined();
    const { data } = await (await t.installationOctokit(installationId)).rest.pulls.get({ owner: "acme", repo: "gitops", pull_number: pr.number });
    expect(data.title).toBe(`Promote ${freight.alias} to dev`);
    expect(data.body).toContain(`Stagecoach promotes freight **${freight.alias}** from warehouse \`app\` to stage **dev**`);
    expect(data.body).toContain(`| \`1.0.0\` |`);
    expect(data.labels.map((l) => l.name).sort()).toEqual([`freight:${freight.alias}`, "stage:dev", "warehouse:app"]);
  });

  it("schedules polling per warehouse, and a poll finds a newer image while the same one stays one freight", async () => {
    const schedules = await server.queue.listSchedules();
    expect(schedules).toEqual(expect.arrayContaining([warehouseScheduleKey({ installationId, owner: "acme", repo: "gitops" }, "app"), warehouseScheduleKey({ installationId, owner: "acme", repo: "gitops" }, "unreachable")]));

    await server.queue.enqueue("discover-warehouse", { installationId, owner: "acme", repo: "gitops", warehouse: "app", reason: "poll-1" });
    const again = await waitFor("a second discovery", () => outcomes.find((o) => o.warehouse === "app" && o.reason === "poll-1"));
    expect(again.created).toBe(false);

    await registry.pushImage("acme/app", "1.1.0", { salt: "1.1.0" });
    await server.queue.enqueue("discover-warehouse", { installationId, owner: "acme", repo: "gitops", warehouse: "app", reason: "poll-2" });
    const newer = await waitFor("freight for 1.1.0", () => outcomes.find((o) => o.reason === "poll-2"));
    expect(newer).toMatchObject({ created: true, freight: { images: [{ tag: "1.1.0" }] } });
    const listed = await listFreight(await t.installationOctokit(installationId), { owner: "acme", repo: "gitops" }, "guestbook");
    expect(listed.filter((f) => f.origin.name === "app").map((f) => f.images?.[0]?.tag)).toEqual(["1.1.0", "1.0.0"]);
  });

  it("supersedes the open dev pull request of older freight when newer freight auto-promotes", async () => {
    const octokit = await t.installationOctokit(installationId);
    const freight = await listFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook");
    const older = freight.find((f) => f.images?.[0]?.tag === "1.0.0")!;
    const newer = freight.find((f) => f.images?.[0]?.tag === "1.1.0")!;
    const closed = await waitFor("the 1.0.0 pull request to close", () =>
      t.sandbox.deliveries().find((d) => d.event === "pull_request" && d.action === "closed" && (JSON.parse(d.body).pull_request as { title: string }).title === `Promote ${older.alias} to dev`),
    );
    const number = (JSON.parse(closed.body).pull_request as { number: number; merged: boolean }).number;
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: number });
    expect(comments.at(-1)?.body).toContain(`Superseded: freight **${newer.alias}** is being promoted to dev as newer freight, so this promotion of ${older.alias} stops here.`);
    await waitFor("the 1.1.0 pull request", () => t.sandbox.deliveries().find((d) => d.event === "pull_request" && d.action === "opened" && (JSON.parse(d.body).pull_request as { title: string }).title === `Promote ${newer.alias} to dev`));
  });

  it("resolves /promote uat <tag> against the freight recorded on GitHub", async () => {
    t.sandbox.createUser("alice");
    t.sandbox.setPermission("acme", "gitops", "alice", "write");
    const octokit = await t.installationOctokit(installationId);
    const { data: issue } = await octokit.rest.issues.create({ owner: "acme", repo: "gitops", title: "Release" });
    const older = (await listFreight(octokit, { owner: "acme", repo: "gitops" }, "guestbook")).find((f) => f.images?.[0]?.tag === "1.0.0")!;
    t.sandbox.comment({ owner: "acme", repo: "gitops", number: issue.number, body: "/promote uat 1.0.0", author: "alice" });
    const started = await waitFor("the promotion of 1.0.0 to uat", () => states.find((s) => s.phase === "Running" && s.id.startsWith("guestbook/uat/")));
    expect(started.id).toBe(`guestbook/uat/${older.name.slice(0, 12)}`);
    const { data: comments } = await octokit.rest.issues.listComments({ owner: "acme", repo: "gitops", issue_number: issue.number });
    expect(comments.at(-1)?.body).toContain(`@alice Promoting **${older.alias}** to **uat**. Its pull request follows.`);
  });

  it("shows a failing warehouse as a check run on the running config, while the other carries on", async () => {
    const failed = await waitFor("the unreachable warehouse's discovery", () => outcomes.find((o) => o.warehouse === "unreachable"));
    expect(failed.discovery.failures[0]?.message).toMatch(/^warehouse unreachable, subscriptions\[0\]\.image: .*(non-public address|could not be reached)/);
    const octokit = await t.installationOctokit(installationId);
    const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner: "acme", repo: "gitops", ref: sha });
    const check = data.check_runs.find((r) => r.name === "stagecoach/warehouse unreachable");
    expect(check?.conclusion).toBe("failure");
    expect(check?.output.summary).toContain("warehouse unreachable, subscriptions[0].image");
    expect(data.check_runs.find((r) => r.name === "stagecoach/warehouse app")?.conclusion).toBe("success");
  });

  it("discovers a git subscription within moments of a push to its repository", async () => {
    await waitFor("the first discovery of warehouse src", () => outcomes.find((o) => o.warehouse === "src" && o.created));
    await t.sandbox.pushCommit({ owner: "acme", repo: "src", branch: "main", files: { "main.go": "package main // v2\n" }, message: "feat: v2", author: "acme" });
    const sha = (await t.sandbox.branchSha("acme", "src", "main"))!;
    const pushed = await waitFor("freight for the pushed commit", () => outcomes.find((o) => o.warehouse === "src" && o.reason === "github:push" && o.created));
    expect(pushed.freight?.commits?.[0]).toMatchObject({ id: sha, branch: "main", message: "feat: v2" });
  });

  it("fans a GHCR package event out to subscribed warehouses only", async () => {
    const repo = t.sandbox.context.store.repo("acme", "gitops")!;
    const sender = t.sandbox.context.store.account("acme")!;
    t.sandbox.context.announce(repo, "registry_package", { action: "published", registry_package: { name: "unknown-image", namespace: "acme", package_type: "CONTAINER", owner: { login: "acme" } } }, sender);
    await waitFor("the unsubscribed image to be reported", () => unsubscribed.find((keys) => keys.includes("image:ghcr.io/acme/unknown-image")));
    expect(outcomes.filter((o) => o.reason === "github:registry_package")).toEqual([]);
  });

  it("stops polling a warehouse that leaves the config", async () => {
    const key = warehouseScheduleKey({ installationId, owner: "acme", repo: "gitops" }, "unreachable");
    expect(await server.queue.listSchedules()).toContain(key);
    const without = config.replace(["  - name: unreachable", "    subscriptions:", "      - image: { repoURL: 127.0.0.1:1/acme/nothing }", ""].join("\n"), "");
    expect(without).not.toContain("unreachable");
    await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files: { ".github/stagecoach.yml": without }, message: "drop a warehouse", author: "acme" });
    const deadline = Date.now() + 30_000;
    while ((await server.queue.listSchedules()).includes(key) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await server.queue.listSchedules()).not.toContain(key);
    expect(await server.queue.listSchedules()).toContain(warehouseScheduleKey({ installationId, owner: "acme", repo: "gitops" }, "app"));
  });
});
