import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, createSign, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface RegistryUser {
  username: string;
  password: string;
}

export interface StartRegistryOptions {
  /** Basic auth (htpasswd, bcrypt) in front of the whole registry. */
  htpasswd?: RegistryUser;
  /** Docker-style token auth: a small token service on loopback issues ES256 JWTs the registry verifies. */
  tokenAuth?: RegistryUser;
  /** The registry's notifications endpoint (CNCF Distribution sends push events there). */
  notifications?: { url: string; headers?: Record<string, string> };
}

export interface PushImageOptions {
  created?: string;
  /** Push an image index with one image per platform, e.g. ["linux/amd64", "linux/arm64"]. */
  platforms?: string[];
  /** Changes the layer bytes, so the same tag gets a new digest. */
  salt?: string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>`: what image references start with. */
  host: string;
  url: string;
  /** Token requests the token service answered (token auth only). */
  tokenRequests(): number;
  pushImage(name: string, tag: string, options?: PushImageOptions): Promise<string>;
  /** Pushes one manifest under many tags (fast: blobs once, manifests in parallel). */
  tagMany(name: string, tags: string[], options?: PushImageOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real CNCF Distribution registry (Debian's `docker-registry`) on a free loopback port, with
 * its own storage directory, for tests and benchmarks. Images are pushed through its HTTP API.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "stagecoach-registry-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(dir, "data")}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: ${host}`,
    "  secret: stagecoach-test-secret",
  ];
  let pushAuth: string | undefined;
  let tokenService: { server: Server; requests: () => number } | undefined;
  if (options.htpasswd) {
    const { stdout } = await run("htpasswd", ["-Bbn", options.htpasswd.username, options.htpasswd.password]);
    writeFileSync(join(dir, "htpasswd"), stdout);
    lines.push("auth:", "  htpasswd:", "    realm: stagecoach-test", `    path: ${join(dir, "htpasswd")}`);
    pushAuth = `Basic ${Buffer.from(`${options.htpasswd.username}:${options.htpasswd.password}`).toString("base64")}`;
  } else if (options.tokenAuth) {
    tokenService = await startTokenService(dir, options.tokenAuth);
    const address = tokenService.server.address() as { port: number };
    lines.push(
      "auth:",
      "  token:",
      `    realm: http://127.0.0.1:${address.port}/token`,
      "    service: stagecoach-test-registry",
      "    issuer: stagecoach-test-issuer",
      `    rootcertbundle: ${join(dir, "token.crt")}`,
    );
  }
  if (options.notifications) {
    lines.push("notifications:", "  endpoints:", "    - name: stagecoach", `      url: ${options.notifications.url}`, "      timeout: 2s", "      threshold: 3", "      backoff: 1s");
    const headers = Object.entries(options.notifications.headers ?? {});
    if (headers.length > 0) {
      lines.push("      headers:");
      for (const [name, value] of headers) lines.push(`        ${name}: [${JSON.stringify(value)}]`);
    }
  }
  writeFileSync(join(dir, "config.yml"), `${lines.join("\n")}\n`);

  const child: ChildProcess = spawn("docker-registry", ["serve", join(dir, "config.yml")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://${host}`;
  await waitUntilServing(url, child, () => stderr);

  const authFor = async (name: string): Promise<string | undefined> => {
    if (pushAuth) return pushAuth;
    if (!options.tokenAuth || !tokenService) return undefined;
    const address = tokenService.server.address() as { port: number };
    const basic = Buffer.from(`${options.tokenAuth.username}:${options.tokenAuth.password}`).toString("base64");
    const response = await fetch(`http://127.0.0.1:${address.port}/token?service=stagecoach-test-registry&scope=repository:${name}:pull,push`, { headers: { authorization: `Basic ${basic}` } });
    return `Bearer ${((await response.json()) as { token: string }).token}`;
  };

  const upload = async (name: string, auth: string | undefined, bytes: Buffer): Promise<string> => {
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    const headers: Record<string, string> = auth ? { authorization: auth } : {};
    const start = await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: "POST", headers });
    if (start.status !== 202) throw new Error(`blob upload to ${name} refused: ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get("location")!, url);
    location.searchParams.set("digest", digest);
    const put = await fetch(location, { method: "PUT", headers: { ...headers, "content-type": "application/octet-stream" }, body: bytes });
    if (put.status !== 201) throw new Error(`blob PUT to ${name} refused: ${put.status} ${await put.text()}`);
    return digest;
  };

  const putManifest = async (name: string, reference: string, auth: string | undefined, manifest: object, mediaType: string): Promise<string> => {
    const body = Buffer.from(JSON.stringify(manifest));
    const response = await fetch(`${url}/v2/${name}/manifests/${reference}`, { method: "PUT", headers: { ...(auth ? { authorization: auth } : {}), "content-type": mediaType }, body });
    if (response.status !== 201) throw new Error(`manifest PUT ${name}:${reference} refused: ${response.status} ${await response.text()}`);
    return `sha256:${createHash("sha256").update(body).digest("hex")}`;
  };

  const buildImage = async (name: string, auth: string | undefined, platform: string, pushOptions: PushImageOptions) => {
    const [os, architecture, variant] = platform.split("/");
    const layer = Buffer.from(`layer ${name} ${platform} ${pushOptions.salt ?? ""}`);
    const layerDigest = await upload(name, auth, layer);
    const config = Buffer.from(
      JSON.stringify({ architecture, os, ...(variant ? { variant } : {}), created: pushOptions.created ?? "2026-01-01T00:00:00Z", config: {}, rootfs: { type: "layers", diff_ids: [layerDigest] } }),
    );
    const configDigest = await upload(name, auth, config);
    return {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: layerDigest, size: layer.length }],
    };
  };

  const pushManifestFor = async (name: string, tags: string[], pushOptions: PushImageOptions): Promise<string> => {
    const auth = await authFor(name);
    let manifest: object;
    let mediaType: string;
    if (pushOptions.platforms && pushOptions.platforms.length > 0) {
      const entries = [];
      for (const platform of pushOptions.platforms) {
        const image = await buildImage(name, auth, platform, pushOptions);
        const digest = await putManifest(name, `sha256:${createHash("sha256").update(JSON.stringify(image)).digest("hex")}`, auth, image, image.mediaType);
        const [os, architecture, variant] = platform.split("/");
        entries.push({ mediaType: image.mediaType, digest, size: Buffer.byteLength(JSON.stringify(image)), platform: { os, architecture, ...(variant ? { variant } : {}) } });
      }
      manifest = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: entries };
      mediaType = "application/vnd.oci.image.index.v1+json";
    } else {
      manifest = await buildImage(name, auth, "linux/amd64", pushOptions);
      mediaType = "application/vnd.oci.image.manifest.v1+json";
    }
    let digest = "";
    const queue = [...tags];
    await Promise.all(
      Array.from({ length: Math.min(16, queue.length) }, async () => {
        for (let tag = queue.shift(); tag !== undefined; tag = queue.shift()) digest = await putManifest(name, tag, auth, manifest, mediaType);
      }),
    );
    return digest;
  };

  return {
    host,
    url,
    tokenRequests: () => tokenService?.requests() ?? 0,
    pushImage: (name, tag, pushOptions = {}) => pushManifestFor(name, [tag], pushOptions),
    tagMany: (name, tags, pushOptions = {}) => pushManifestFor(name, tags, pushOptions),
    async close() {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
      if (tokenService) await new Promise<void>((resolve) => tokenService!.server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The token service Docker's protocol expects: checks basic credentials, answers an ES256 JWT
 * whose `x5c` header carries the certificate the registry trusts (rootcertbundle).
 */
async function startTokenService(dir: string, user: RegistryUser): Promise<{ server: Server; requests: () => number }> {
  await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=stagecoach-test-issuer", "-keyout", join(dir, "token.key"), "-out", join(dir, "token.crt")]);
  const key = readFileSync(join(dir, "token.key"), "utf8");
  const certificate = readFileSync(join(dir, "token.crt"), "utf8").replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");
  let requests = 0;
  const server = createHttpServer((request, response) => {
    requests++;
    const requestURL = new URL(request.url ?? "/", "http://localhost");
    const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`;
    const authorized = request.headers.authorization === expected;
    if (request.headers.authorization && !authorized) {
      response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ details: "wrong credentials" }));
      return;
    }
    const access = (requestURL.searchParams.getAll("scope") ?? [])
      .map((scope) => /^repository:([^:]+):(.+)$/.exec(scope))
      .filter((m): m is RegExpExecArray => m !== null)
      // Anonymous callers get nothing, so the registry answers them 401 as a private registry does.
      .map((m) => ({ type: "repository", name: m[1], actions: authorized ? m[2]!.split(",") : [] }));
    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(JSON.stringify({ alg: "ES256", typ: "JWT", x5c: [certificate] })).toString("base64url");
    const claims = Buffer.from(JSON.stringify({ iss: "stagecoach-test-issuer", sub: user.username, aud: requestURL.searchParams.get("service"), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access })).toString("base64url");
    const signer = createSign("SHA256");
    signer.update(`${header}.${claims}`);
    const signature = signer.sign({ key, dsaEncoding: "ieee-p1363" }).toString("base64url");
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: `${header}.${claims}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, requests: () => requests };
}

async function waitUntilServing(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`${url}/v2/`);
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`docker-registry did not answer on ${url} within 10 s: ${stderr()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
