import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { generateAppKeyPair } from "./support/app-keys.js";
import { testRedisUrl } from "./support/redis.js";

/** `npm start` as operators run it: settings from the environment, SIGTERM ends it cleanly. */
describe("the server process", () => {
  it("starts from the environment, answers /readyz, and exits 0 on SIGTERM after closing Redis", async () => {
    // A GitHub that refuses the App's credentials at once (a 401 is not retried), so the startup sync ends quickly.
    const github = createServer((_request, response) => response.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}'));
    await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: {
        ...process.env,
        APP_ID: "1",
        PRIVATE_KEY: generateAppKeyPair().privateKey,
        WEBHOOK_SECRET: "s",
        REDIS_URL: testRedisUrl(),
        GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
      child.stdout.on("data", () => {
        const match = /listening on (http:\/\/[^ ]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("SIGTERM received: finishing running jobs, then exiting");
    await new Promise((resolve) => github.close(resolve));
  }, 60_000);

  it("refuses to start with a message naming every missing variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("APP_ID is not set");
    expect(stderr).toContain("WEBHOOK_SECRET is not set");
  });
});
