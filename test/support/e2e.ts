import { createHash } from "node:crypto";
import type { Octokit } from "@octokit/rest";
import type { CapturedLog } from "./capture-log.js";
import type { TestSandbox } from "./sandbox.js";

/** The kustomization every guestbook environment starts from. */
export const GUESTBOOK_KUSTOMIZATION = "resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/app\n    newTag: 1.0.0\n";

/** A guestbook pipeline in the native form: one warehouse on ghcr.io/acme/app, the stages given as YAML lines. */
export function guestbookConfig(stages: string, repo = "gitops"): string {
  return `project: guestbook
repoURL: https://github.com/acme/${repo}
warehouses:
  - name: app
    subscriptions:
      - image: { repoURL: ghcr.io/acme/app, constraint: ^1.0.0 }
stages:
${stages.replace(/^\n+|\s+$/g, "")}
`;
}

/** The files of the guestbook GitOps repository: the config and a kustomization per environment. */
export function guestbookFiles(config: string, environments: string[]): Record<string, string> {
  const files: Record<string, string> = { ".github/stagecoach.yml": config };
  for (const env of environments) Object.assign(files, { [`env/${env}/kustomization.yaml`]: GUESTBOOK_KUSTOMIZATION, [`env/${env}/deployment.yaml`]: "kind: Deployment\n" });
  return files;
}

/** Freight of one ghcr.io/acme/app tag, as a promote job carries it (the name is stable per tag). */
export function imageFreight(tag: string) {
  return {
    name: createHash("sha1").update(tag).digest("hex"),
    alias: `freight-${tag.replaceAll(".", "-")}`,
    origin: { kind: "Warehouse", name: "app" },
    images: [{ repoURL: "ghcr.io/acme/app", tag, digest: `sha256:${createHash("sha256").update(tag).digest("hex")}` }],
  };
}

/** Polls until `probe` answers (anything but undefined or false), letting the sandbox's deliveries settle between looks. */
export function waiter(t: TestSandbox, captured?: CapturedLog) {
  return async <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      await t.sandbox.waitForIdle();
      const found = await probe();
      if (found !== undefined && found !== false) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    const problems = (captured?.lines ?? []).filter((l) => l.level >= 40).map((l) => `${l.msg} ${JSON.stringify(l.err ?? "")}`.slice(0, 300));
    throw new Error(`timed out waiting for ${what}; log: ${problems.join(" | ")}`);
  };
}

/** Pushes the files to main and waits until the App has adopted them (a completed stagecoach/config check run). */
export async function pushAndAdoptConfig(t: TestSandbox, octokit: Octokit, files: Record<string, string>, wait: ReturnType<typeof waiter>): Promise<string> {
  const sha = await t.sandbox.pushCommit({ owner: "acme", repo: "gitops", branch: "main", files, message: "pipeline", author: "acme" });
  await wait("the config to be adopted", async () => {
    const { data } = await octokit.rest.checks.listForRef({ owner: "acme", repo: "gitops", ref: sha, check_name: "stagecoach/config" });
    return data.check_runs.find((r) => r.status === "completed");
  });
  return sha;
}
