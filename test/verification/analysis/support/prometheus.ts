import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** An HTTP target on loopback serving Prometheus' text format; the test sets the values. */
export interface MetricTarget {
  port: number;
  /** `name{labels} value` lines by series, e.g. set('app_success_ratio{service="api"}', 0.99). */
  set(series: string, value: number): void;
  scrapes(): number;
  close(): Promise<void>;
}

export async function startMetricTarget(): Promise<MetricTarget> {
  const values = new Map<string, number>();
  let scrapes = 0;
  const server = createHttpServer((request, response) => {
    scrapes += 1;
    const text = [...values].map(([series, value]) => `${series} ${Number.isNaN(value) ? "NaN" : value}`).join("\n");
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(`${text}\n`);
  });
  const port = await listen(server);
  return {
    port,
    set: (series, value) => values.set(series, value),
    scrapes: () => scrapes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestPrometheus {
  url: string;
  port: number;
  user: { username: string; password: string };
  /** Resolves once an instant query for `expression` (as the App would send it) returns `expected`. */
  waitFor(expression: string, expected: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real Prometheus (Debian's `prometheus`) on a free loopback port with temporary storage,
 * scraping the target every second, behind basic auth (its --web.config.file), so the operator's
 * credentials by address are exercised for real.
 */
export async function startPrometheus(targetPort: number): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "stagecoach-prometheus-"));
  const port = await freePort();
  const user = { username: "analysis", password: `pw-${process.pid}-${Date.now()}` };
  const { stdout } = await run("htpasswd", ["-nbBC", "10", user.username, user.password]);
  const hash = stdout.trim().split(":").slice(1).join(":");
  writeFileSync(join(dir, "web.yml"), `basic_auth_users:\n  ${user.username}: '${hash}'\n`);
  writeFileSync(
    join(dir, "prometheus.yml"),
    ["global:", "  scrape_interval: 1s", "  evaluation_interval: 1s", "scrape_configs:", "  - job_name: target", "    static_configs:", `      - targets: ["127.0.0.1:${targetPort}"]`, ""].join("\n"),
  );
  const child: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.config.file=${join(dir, "web.yml")}`,
      "--log.level=error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`;
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async (expression: string): Promise<string | undefined> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`, { headers: { authorization } });
    const body = (await response.json()) as { data?: { result?: { value: [number, string] }[] } };
    return body.data?.result?.[0]?.value[1];
  };
  const waitFor = async (expression: string, expected: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      const value = await query(expression).catch(() => undefined);
      if (value === expected) return;
      if (Date.now() > deadline) throw new Error(`prometheus never answered ${expected} for ${expression} (last ${value}): ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  try {
    await waitFor('up{job="target"}', "1", 30_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, port, user, waitFor, close };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
