import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RegistrySandboxOptions {
  /** Where to send Distribution-style push notifications (what a real registry's `notifications` does). */
  notify?: { url: string; headers?: Record<string, string> };
}

export interface RegistrySandbox {
  /** `127.0.0.1:<port>`: image references start with it. */
  host: string;
  /** Points push notifications somewhere (the App's receiver, once it listens). */
  sendNotificationsTo(target: { url: string; headers?: Record<string, string> }): void;
  /** Adds an image (config + one layer + manifest) under a tag and notifies; answers its digest. */
  pushImage(name: string, tag: string, options?: { created?: string }): Promise<string>;
  close(): Promise<void>;
}

interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
}

const MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/**
 * A small container registry for the demo: the read side of the OCI distribution API (tags,
 * manifests, blobs) over in-memory images, anonymous, and push notifications in CNCF
 * Distribution's envelope. The test suite uses the real `docker-registry` instead; this one only
 * spares `npm run demo` from needing it installed.
 */
export async function startRegistrySandbox(options: RegistrySandboxOptions = {}): Promise<RegistrySandbox> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Map<string, StoredManifest>>();
  const digestOf = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://registry");
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "docker-distribution-api-version": "registry/2.0", ...headers }).end(request.method === "HEAD" ? undefined : body);
    };
    const notFound = (code: string) => send(404, JSON.stringify({ errors: [{ code, message: code.toLowerCase().replace(/_/g, " ") }] }), { "content-type": "application/json" });
    if (url.pathname === "/v2/" || url.pathname === "/v2") return send(200, "{}", { "content-type": "application/json" });
    const match = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(url.pathname);
    if (!match || (request.method !== "GET" && request.method !== "HEAD")) return notFound("UNSUPPORTED");
    const [, name = "", what = ""] = match;
    const repository = manifests.get(name);
    if (what === "tags/list") {
      if (!repository) return notFound("NAME_UNKNOWN");
      const tags = [...repository.keys()].filter((k) => !k.startsWith("sha256:")).sort();
      return send(200, JSON.stringify({ name, tags }), { "content-type": "application/json" });
    }
    const reference = decodeURIComponent(what.slice(what.indexOf("/") + 1));
    if (what.startsWith("manifests/")) {
      const manifest = repository?.get(reference);
      if (!manifest) return notFound("MANIFEST_UNKNOWN");
      return send(200, manifest.bytes, { "content-type": manifest.mediaType, "docker-content-digest": digestOf(manifest.bytes), "content-length": String(manifest.bytes.length) });
    }
    const blob = blobs.get(reference);
    if (!blob || !repository) return notFound("BLOB_UNKNOWN");
    return send(200, blob, { "content-type": "application/octet-stream", "docker-content-digest": reference, "content-length": String(blob.length) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  let target = options.notify;
  const notify = async (name: string, tag: string, digest: string, size: number) => {
    if (!target) return;
    const envelope = {
      events: [
        {
          id: randomUUID(),
          timestamp: new Date().toISOString(),
          action: "push",
          target: { mediaType: MANIFEST, size, digest, length: size, repository: name, url: `http://${host}/v2/${name}/manifests/${digest}`, tag },
          request: { id: randomUUID(), addr: "127.0.0.1", host, method: "PUT", useragent: "stagecoach-demo" },
          actor: {},
          source: { addr: host, instanceID: "registry-sandbox" },
        },
      ],
    };
    const response = await fetch(target.url, { method: "POST", headers: { "content-type": "application/vnd.docker.distribution.events.v1+json", ...target.headers }, body: JSON.stringify(envelope) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the registry's notification was answered ${response.status}`);
  };

  return {
    host,
    sendNotificationsTo(next) {
      target = next;
    },
    async pushImage(name, tag, pushOptions = {}) {
      const layer = Buffer.from(`${name}:${tag}`);
      const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", created: pushOptions.created ?? new Date().toISOString(), config: {}, rootfs: { type: "layers", diff_ids: [digestOf(layer)] } }));
      blobs.set(digestOf(layer), layer);
      blobs.set(digestOf(config), config);
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST,
          config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: digestOf(config), size: config.length },
          layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: digestOf(layer), size: layer.length }],
        }),
      );
      if (!manifests.has(name)) manifests.set(name, new Map());
      const digest = digestOf(bytes);
      manifests.get(name)!.set(tag, { bytes, mediaType: MANIFEST });
      manifests.get(name)!.set(digest, { bytes, mediaType: MANIFEST });
      await notify(name, tag, digest, bytes.length);
      return digest;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
