import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Octokit } from "@octokit/rest";
import { recordFreight } from "../../src/github/freight-records.js";
import type { PromotionState } from "../../src/promotion/index.js";
import type { VerificationResult } from "../../src/jobs/verification/judge-pending-verification.js";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { captureLog } from "../support/capture-log.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";
const repo = { owner: "acme", repo: "gitops" };

/** Verification that asks the environment itself: HTTP probes until they answer, a soak time, and a timeout. */
describe("end to end: verification by probes, soak and timeout", { timeout: 120_000 }, () => {
  let t: TestSandbox;
  let server: RunningServer;
  let service: Server;
  let octokit: Octokit;
  let healthChecks = 0;
  const states: PromotionState[] = [];
  const verified: VerificationResult[] = [];
  const captured = captureLog();
  const waitFor = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}; log: ${captured.lines.filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 300)).join(" | ")}`);
  };
  const promote = async (stage: string, tag: string) => {
    const { freight } = await recordFreight(octokit, repo, "guestbook", { origin: { kind: "Warehouse", name: "app" }, images: [{ repoURL: "ghcr.io/acme/app", tag }], createdAt: new Date().toISOString() });
    const { createdAt: _c, commit: _k, ...reference } = freight;
    await server.queue.enqueue("promote", { installationId: [...t.sandbox.context.store.installations.keys()][0]!, ...repo, stage, freight: reference });
    return freight;
  };

  beforeAll(async () => {
    // Down for the first three asks (the new version is starting), then up.
    service = createServer((request, response) => {
      if (request.url === "/healthz") return void (++healthChecks <= 3 ? response.writeHead(503).end("starting") : response.end("ok 1.1.0"));
      response.writeHead(500).end("broken");
    });
    await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    const config = `project: guestbook
repoURL: https://github.com/acme/gitops
warehouses:
  - name: app
    subscriptions:
      - image: { repoURL: ghcr.io/acme/app }
stages:
  - name: dev
    from: app
    kustomize: { path: env/dev, image: ghcr.io/acme/app }
    github:
      autoMerge: true
      verify: { http: [{ url: "${base}/healthz", bodyContains: "1.1.0" }], soak: 1s }
  - name: qa
    from: app
    kustomize: { path: env/qa, image: ghcr.io/acme/app }
    github:
      autoMerge: true
      verify: { http: [{ url: "${base}/broken" }], timeout: 2s }
`;
    t = await startTestSandbox();
    server = await startAppOnSandbox(t, { log: captured.log, onPromotion: (s) => states.push(s), onVerified: (r) => verified.push(r), settings: { promotionNetwork: { allowedPrivateHosts: ["127.0.0.1"] }, pollMs: 200 } });
    const files: Record<string, string> = { ".github/stagecoach.yml": config };
    for (const env of ["dev", "qa"]) Object.assign(files, { [`env/${env}/kustomization.yaml`]: KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    octokit = await t.installationOctokit(await t.sandbox.installApp(t.app.id, "acme", ["gitops"]));
    await t.sandbox.pushCommit({ ...repo, branch: "main", files, message: "pipeline", author: "acme" });
    await waitFor("the config to be adopted", async () => {
      const sha = (await t.sandbox.branchSha("acme", "gitops", "main"))!;
      return (await octokit.rest.checks.listForRef({ ...repo, ref: sha, check_name: "stagecoach/config" })).data.check_runs.find((r) => r.status === "completed");
    });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
    await new Promise((resolve) => service.close(resolve));
  });

  it("asks the probe again until it answers with the version, then waits out the soak before the freight counts as verified", async () => {
    const freight = await promote("dev", "1.1.0");
    const result = await waitFor("dev to be verified", () => verified.find((v) => v.stage === "dev"));
    expect(result.outcome).toBe("passed");
    expect(healthChecks).toBeGreaterThan(3);
    expect(result.lines).toContain(`- probe ${`http://127.0.0.1:${(service.address() as AddressInfo).port}/healthz`}: answered 200 with "1.1.0"`);
    expect(result.lines.some((l) => l.startsWith("- soak: done at "))).toBe(true);
    const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: freight.commit!, check_name: "stagecoach/verify dev" });
    const run = data.check_runs[0]!;
    expect(run.conclusion).toBe("success");
    expect(Date.parse(run.completed_at!) - Date.parse(run.started_at!)).toBeGreaterThanOrEqual(1_000);
  });

  it("fails a verification still waiting at its timeout, and says so on the pull request", async () => {
    const freight = await promote("qa", "1.2.0");
    const result = await waitFor("qa verification to time out", () => verified.find((v) => v.stage === "qa"));
    expect(result.outcome).toBe("failed");
    expect(result.lines.at(-1)).toMatch(/^- timed out at .* still waiting for probe http:\/\/127\.0\.0\.1:\d+\/broken \(`github.verify.timeout`\)$/);
    expect(result.lines[0]).toContain("answered 500, expected 2xx (asking again)");
    const pull = [...t.sandbox.context.store.pulls.values()].find((p) => p.head.includes("/qa/"))!;
    const { data: comments } = await octokit.rest.issues.listComments({ ...repo, issue_number: pull.number });
    expect(comments.map((c) => c.body).join("\n")).toContain(`**${freight.alias} failed verification in qa**, so it does not move on from qa.`);
  });
});
