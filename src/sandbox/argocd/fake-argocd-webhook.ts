import { verifySignature } from "../../web/verify-signature.js";
import type { FakeArgoCdStore } from "./fake-argocd-store.js";
import type { RouteAnswer } from "./fake-argocd-routes.js";

interface PushPayload {
  ref?: unknown;
  after?: unknown;
  repository?: { html_url?: unknown; clone_url?: unknown };
}

/**
 * Argo CD's /api/webhook for GitHub: a push refreshes the Applications that track the pushed
 * branch, and auto-sync ones start syncing. Like Argo CD, it checks the HMAC only when a secret is set.
 */
export function handleGitWebhook(store: FakeArgoCdStore, secret: string | undefined, headers: Record<string, string | string[] | undefined>, raw: Buffer): RouteAnswer {
  const event = headers["x-github-event"];
  if (!event) return { status: 400, body: "Webhook processing failed: missing X-GitHub-Event header (only GitHub payloads are understood)" };
  if (secret && !verifySignature(secret, raw, headers["x-hub-signature-256"] as string | undefined)) {
    return { status: 400, body: "Webhook processing failed: HMAC verification failed" };
  }
  if (event !== "push") return { status: 200, body: "" };
  let payload: PushPayload;
  try {
    payload = JSON.parse(raw.toString("utf8")) as PushPayload;
  } catch {
    return { status: 400, body: "Webhook processing failed: the push payload is not JSON" };
  }
  const repo = payload.repository?.html_url ?? payload.repository?.clone_url;
  if (typeof repo !== "string" || typeof payload.ref !== "string" || typeof payload.after !== "string") {
    return { status: 400, body: "Webhook processing failed: a push payload needs ref, after and repository.html_url" };
  }
  if (!payload.ref.startsWith("refs/heads/")) return { status: 200, body: "" };
  store.push(repo, payload.ref.slice("refs/heads/".length), payload.after);
  return { status: 200, body: "" };
}
