import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createServer, Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

const HOW_TO_GET_REDIS =
  "The tests need a real Redis. Set REDIS_URL, start one on 127.0.0.1:6379, or install redis-server " +
  "(Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) so the tests can start a throwaway one.";

/** Sends PING and waits for +PONG: proves a Redis (not just any socket) is listening. */
export function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ""), () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function ensureRedis(): Promise<TestRedis> {
  const candidate = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  if (await pingRedis(candidate)) return { url: candidate, stop: async () => {} };
  if (!hasRedisServer()) throw new Error(`No Redis answered at ${candidate}. ${HOW_TO_GET_REDIS}`);
  return startThrowawayRedis();
}

/**
 * A redis-server of the test's own, on a free port, for tests that flush Redis on purpose (the
 * shared one may serve other tests at the same time).
 */
export async function startThrowawayRedis(): Promise<TestRedis> {
  if (!hasRedisServer()) throw new Error(`This test starts a Redis of its own and needs redis-server on PATH. ${HOW_TO_GET_REDIS}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "stagecoach-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await pingRedis(url, 200)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await pingRedis(url))) {
    child.kill();
    throw new Error(`Started redis-server on port ${port} but it did not answer. ${HOW_TO_GET_REDIS}`);
  }
  return {
    url,
    stop: async () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Redis URL chosen by the global setup. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error("TEST_REDIS_URL is not set: run the tests through vitest (npm test) so the global setup runs.");
  return url;
}
