import type { JsonValue } from "../expressions/index.js";
import { createGitHubApiWorkspaceFactory, type GitHubApiWorkspaceOptions } from "./github-api-workspace.js";
import { createLocalGitWorkspaceFactory, type LocalGitWorkspaceOptions } from "./local-git-workspace.js";
import { parseGitHubRepoURL } from "./parse-github-repo-url.js";
import { normalizeWorkspacePath } from "./resolve-workspace-path.js";
import type { CheckoutSpec, GitIdentity, PushRequest, Workspace, WorkspaceFactory } from "./workspace.js";

type Backend = "api" | "local";

interface Snapshot {
  kind: "hybrid";
  api: JsonValue;
  local: JsonValue;
  mounts: Record<string, Backend>;
}

/**
 * The App's workspace: checkouts of repositories on GitHub go through the GitHub API, any other
 * remote is a shallow git clone on disk, and files outside checkouts live on that disk too.
 */
export function createHybridWorkspaceFactory(options: { api: GitHubApiWorkspaceOptions; local: LocalGitWorkspaceOptions }): WorkspaceFactory {
  const api = createGitHubApiWorkspaceFactory(options.api);
  const local = createLocalGitWorkspaceFactory(options.local);
  return {
    async open(promotionId, snapshot) {
      const candidate = snapshot as unknown as Snapshot | undefined;
      const previous = candidate?.kind === "hybrid" ? candidate : undefined;
      const a = await api.open(promotionId, previous?.api);
      const l = await local.open(promotionId, previous?.local);
      const restored = previous !== undefined && a.restored && l.restored;
      return { workspace: new HybridWorkspace(a.workspace, l.workspace, restored ? { ...previous.mounts } : {}, options.api.hosts), restored };
    },
  };
}

class HybridWorkspace implements Workspace {
  constructor(
    private readonly api: Workspace,
    private readonly local: Workspace,
    private readonly mounts: Record<string, Backend>,
    private readonly hosts: readonly string[],
  ) {}

  private mountOf(relative: string): string | undefined {
    const key = normalizeWorkspacePath(relative);
    return Object.keys(this.mounts).find((m) => key === m || key.startsWith(`${m}/`));
  }

  private backend(relative: string): Workspace {
    const mount = this.mountOf(relative);
    return mount !== undefined && this.mounts[mount] === "api" ? this.api : this.local;
  }

  readFile(path: string) {
    return this.backend(path).readFile(path);
  }

  writeFile(path: string, data: string | Uint8Array) {
    return this.backend(path).writeFile(path, data);
  }

  async exists(path: string) {
    if (this.mountOf(path) !== undefined) return this.backend(path).exists(path);
    return (await this.local.exists(path)) || (await this.listFiles(path)).length > 0;
  }

  async listFiles(path: string): Promise<string[]> {
    if (this.mountOf(path) !== undefined) return this.backend(path).listFiles(path);
    const fromApi = Object.values(this.mounts).includes("api") ? await this.api.listFiles(path) : [];
    const fromDisk = (await this.local.exists(path)) ? await this.local.listFiles(path) : [];
    return [...new Set([...fromDisk, ...fromApi])].sort();
  }

  remove(path: string) {
    return this.backend(path).remove(path);
  }

  async materialize(paths: string[]): Promise<{ dir: string; release(): Promise<void> }> {
    // Tools need one directory: files of API checkouts are written next to the disk ones.
    const written: string[] = [];
    for (const wanted of paths.filter((p) => this.backend(p) === this.api)) {
      const key = normalizeWorkspacePath(wanted);
      for (const file of await this.api.listFiles(key)) {
        const full = file === "" ? key : `${key}/${file}`;
        await this.local.writeFile(full, await this.api.readFile(full));
        written.push(full);
      }
    }
    const disk = await this.local.materialize(paths);
    return {
      dir: disk.dir,
      release: async () => {
        for (const file of written) await this.local.remove(file);
        await disk.release();
      },
    };
  }

  async clone(repoURL: string, checkout: CheckoutSpec) {
    const backend: Backend = parseGitHubRepoURL(repoURL, this.hosts) ? "api" : "local";
    const result = await (backend === "api" ? this.api : this.local).clone(repoURL, checkout);
    this.mounts[normalizeWorkspacePath(checkout.path)] = backend;
    return result;
  }

  clear(path: string) {
    return this.backend(path).clear(path);
  }

  commit(path: string, message: string, author: GitIdentity) {
    return this.backend(path).commit(path, message, author);
  }

  push(path: string, request: PushRequest) {
    return this.backend(path).push(path, request);
  }

  tag(path: string, tag: string, message?: string) {
    return this.backend(path).tag(path, tag, message);
  }

  repoURLOf(path: string) {
    return this.backend(path).repoURLOf(path);
  }

  snapshot(): JsonValue {
    const snapshot: Snapshot = { kind: "hybrid", api: this.api.snapshot(), local: this.local.snapshot(), mounts: { ...this.mounts } };
    return snapshot as unknown as JsonValue;
  }

  async dispose() {
    await this.api.dispose();
    await this.local.dispose();
  }
}
