import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { RunningServer } from "../../src/server.js";
import { startAppOnSandbox } from "../support/app-server.js";
import { testRedisUrl } from "../support/redis.js";
import { startTestSandbox, type TestSandbox } from "../support/sandbox.js";

const repo = { owner: "acme", repo: "gitops" };

/**
 * Probot's write pacing on a real Redis, as two Apps (or two tests) sharing that Redis run it: each
 * keeps its limiters under its own key prefix, and a limiter whose settings vanished from Redis is
 * set up again instead of failing the request.
 */
describe("GitHub write pacing shared through Redis", { timeout: 60_000 }, () => {
  let t: TestSandbox;
  let redis: Redis;
  const servers: Array<{ prefix: string; server: RunningServer }> = [];
  let installationId: number;

  beforeAll(async () => {
    t = await startTestSandbox();
    redis = new Redis(testRedisUrl());
    await t.sandbox.createRepo("acme", "gitops", { files: { "README.md": "# gitops\n" } });
    installationId = await t.sandbox.installApp(t.app.id, "acme", ["gitops"]);
    for (const name of ["one", "two"]) {
      const prefix = `throttle-${name}-${randomUUID()}`;
      const server = await startAppOnSandbox(t, { queuePrefix: prefix, settings: { throttleGitHubWrites: true }, syncInstallationsAtStartup: false });
      servers.push({ prefix, server });
    }
  });
  afterAll(async () => {
    for (const { server } of servers) await server.close();
    redis?.disconnect();
    await t?.close();
  });

  const write = async (server: RunningServer, title: string) => {
    const octokit = await server.probot.auth(installationId);
    return (await octokit.rest.issues.create({ ...repo, title })).data.number;
  };
  const keysOf = (prefix: string) => redis.keys(`${prefix}:throttle:*`);
  // Probot keys an installation's limiters by the installation ID.

  it("keeps each App's limiters under its own key prefix", async () => {
    for (const { prefix, server } of servers) expect(await write(server, `from ${prefix}`)).toBeGreaterThan(0);
    const [one = [], two = []] = await Promise.all(servers.map(({ prefix }) => keysOf(prefix)));
    expect(one).toContain(`${servers[0]!.prefix}:throttle:b_${servers[0]!.prefix}:octokit-write-${installationId}_settings`);
    expect(two).toContain(`${servers[1]!.prefix}:throttle:b_${servers[1]!.prefix}:octokit-write-${installationId}_settings`);
    expect(one.some((key) => key.includes(servers[1]!.prefix))).toBe(false);
  });

  it("sets a limiter up again when its settings are gone from Redis, and leaves the other App's alone", async () => {
    const [first, second] = servers;
    const settingsKey = `${first!.prefix}:throttle:b_${first!.prefix}:octokit-write-${installationId}_settings`;
    expect(await redis.del(settingsKey)).toBe(1);
    const otherKeys = await keysOf(second!.prefix);
    expect(await write(first!.server, "after the settings expired")).toBeGreaterThan(0);
    expect(await redis.exists(settingsKey)).toBe(1);
    expect(await keysOf(second!.prefix)).toEqual(expect.arrayContaining(otherKeys));
    expect(await write(second!.server, "the other App still writes")).toBeGreaterThan(0);
  });
});
