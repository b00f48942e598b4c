import { execFile } from "node:child_process";

/** One entry of a git tree, as `git ls-tree -l` reports it. */
export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  path: string;
  size?: number;
}

export interface Signature {
  name: string;
  email: string;
  date: string;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

/** A change for buildTree: `sha: null` deletes the path. */
export interface TreeChange {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string | null;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (${code}): ${stderr.trim()}`);
  }
}

/**
 * A bare repository driven through the git CLI. Every object the sandbox hands out is a real git
 * object, so clones, merges and SHAs behave exactly as on GitHub.
 */
export class GitRepo {
  constructor(readonly dir: string) {}

  static async init(dir: string, defaultBranch: string): Promise<GitRepo> {
    await run(["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, dir]);
    const repo = new GitRepo(dir);
    // Let git http-backend accept pushes; the sandbox does its own authentication in front of it.
    await repo.git(["config", "http.receivepack", "true"]);
    return repo;
  }

  git(args: string[], input?: Buffer | string, env?: Record<string, string>): Promise<Buffer> {
    return run(["--git-dir", this.dir, ...args], input, env);
  }

  async text(args: string[], input?: Buffer | string, env?: Record<string, string>): Promise<string> {
    return (await this.git(args, input, env)).toString("utf8");
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.text(["hash-object", "-w", "--stdin"], content)).trim();
  }

  readBlob(sha: string): Promise<Buffer> {
    return this.git(["cat-file", "blob", sha]);
  }

  async objectType(sha: string): Promise<string | undefined> {
    try {
      return (await this.text(["cat-file", "-t", sha])).trim();
    } catch {
      return undefined;
    }
  }

  async readTree(treeSha: string, recursive = false): Promise<TreeEntry[]> {
    const out = await this.text(["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), treeSha]);
    return out
      .split("\0")
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf("\t");
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/);
        return {
          mode: mode!,
          type: type as TreeEntry["type"],
          sha: sha!,
          path: line.slice(tab + 1),
          size: size === "-" ? undefined : Number(size),
        };
      });
  }

  async writeTree(entries: TreeEntry[]): Promise<string> {
    const input = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`).join("");
    return (await this.text(["mktree", "-z", "--missing"], input)).trim();
  }

  /** Applies path changes on top of a base tree (or an empty one), creating nested trees as needed. */
  async buildTree(baseTree: string | undefined, changes: TreeChange[]): Promise<string> {
    const entries = baseTree ? await this.readTree(baseTree) : [];
    const byName = new Map(entries.map((e) => [e.path, e]));
    const nested = new Map<string, TreeChange[]>();
    for (const change of changes) {
      const slash = change.path.indexOf("/");
      if (slash === -1) {
        if (change.sha === null) byName.delete(change.path);
        else byName.set(change.path, { mode: change.mode, type: change.type, sha: change.sha, path: change.path });
      } else {
        const dir = change.path.slice(0, slash);
        const list = nested.get(dir) ?? [];
        list.push({ ...change, path: change.path.slice(slash + 1) });
        nested.set(dir, list);
      }
    }
    for (const [dir, dirChanges] of nested) {
      const existing = byName.get(dir);
      const subtree = await this.buildTree(existing?.type === "tree" ? existing.sha : undefined, dirChanges);
      const empty = (await this.readTree(subtree)).length === 0;
      if (empty) byName.delete(dir);
      else byName.set(dir, { mode: "040000", type: "tree", sha: subtree, path: dir });
    }
    return this.writeTree([...byName.values()]);
  }

  async writeCommit(options: { tree: string; parents: string[]; message: string; author: Signature; committer: Signature }): Promise<string> {
    const args = ["commit-tree", options.tree, ...options.parents.flatMap((p) => ["-p", p])];
    const env = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_AUTHOR_DATE: options.author.date,
      GIT_COMMITTER_NAME: options.committer.name,
      GIT_COMMITTER_EMAIL: options.committer.email,
      GIT_COMMITTER_DATE: options.committer.date,
    };
    return (await this.text(args, options.message, env)).trim();
  }

  async readCommit(sha: string): Promise<CommitObject> {
    const raw = await this.text(["cat-file", "commit", sha]);
    const split = raw.indexOf("\n\n");
    const headers = raw.slice(0, split).split("\n");
    const message = raw.slice(split + 2);
    const parents: string[] = [];
    let tree = "";
    let author: Signature | undefined;
    let committer: Signature | undefined;
    for (const line of headers) {
      const [key, ...rest] = line.split(" ");
      const value = rest.join(" ");
      if (key === "tree") tree = value;
      else if (key === "parent") parents.push(value);
      else if (key === "author") author = parseSignature(value);
      else if (key === "committer") committer = parseSignature(value);
    }
    return { sha, tree, parents, author: author!, committer: committer!, message };
  }

  async resolve(revision: string): Promise<string | undefined> {
    try {
      return (await this.text(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async refs(prefix = "refs/"): Promise<Array<{ ref: string; sha: string }>> {
    const out = await this.text(["for-each-ref", "--format=%(refname) %(objectname)", prefix]);
    return out
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [ref, sha] = line.split(" ");
        return { ref: ref!, sha: sha! };
      });
  }

  async refSha(ref: string): Promise<string | undefined> {
    return (await this.refs(ref)).find((r) => r.ref === ref)?.sha;
  }

  /** Compare-and-swap: fails if the ref moved since `expectedOld` was read. */
  async setRef(ref: string, sha: string, expectedOld?: string): Promise<void> {
    await this.git(["update-ref", ref, sha, ...(expectedOld ? [expectedOld] : [])]);
  }

  async deleteRef(ref: string): Promise<void> {
    await this.git(["update-ref", "-d", ref]);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(["merge-base", "--is-ancestor", ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.text(["merge-base", a, b])).trim();
    } catch {
      return undefined;
    }
  }

  /** A three-way merge without a work tree; `tree` is undefined when the merge conflicts. */
  async mergeTrees(ours: string, theirs: string): Promise<{ tree?: string; conflicts: string[] }> {
    try {
      const out = await this.text(["merge-tree", "--write-tree", "--name-only", "--no-messages", ours, theirs]);
      return { tree: out.split("\n")[0]!.trim(), conflicts: [] };
    } catch (error) {
      if (error instanceof GitCommandError && error.code === 1) return { conflicts: [] as string[] };
      throw error;
    }
  }

  async revList(range: string[], path?: string, limit?: number): Promise<string[]> {
    const args = ["rev-list", ...(limit ? [`--max-count=${limit}`] : []), ...range, ...(path ? ["--", path] : [])];
    return (await this.text(args)).split("\n").filter(Boolean);
  }

  async changedFiles(from: string | undefined, to: string): Promise<Array<{ status: string; path: string }>> {
    const args = from ? ["diff-tree", "-r", "--name-status", "-z", from, to] : ["diff-tree", "-r", "--root", "--name-status", "-z", to];
    const parts = (await this.text(args)).split("\0").filter(Boolean);
    if (!from && /^[0-9a-f]{40}$/.test(parts[0] ?? "")) parts.shift();
    const files: Array<{ status: string; path: string }> = [];
    for (let i = 0; i + 1 < parts.length; i += 2) files.push({ status: parts[i]!, path: parts[i + 1]! });
    return files;
  }
}

function parseSignature(value: string): Signature {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) return { name: value, email: "", date: new Date(0).toISOString() };
  return { name: match[1]!, email: match[2]!, date: new Date(Number(match[3]) * 1000).toISOString().replace(".000Z", "Z") };
}

function run(args: string[], input?: Buffer | string, env?: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      { encoding: "buffer", maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new GitCommandError(args, typeof error.code === "number" ? error.code : 1, stderr.toString("utf8")));
        else resolve(stdout);
      },
    );
    // git may exit before reading its input (a bad object, say); its exit code is the error to report, not the EPIPE.
    child.stdin?.on("error", () => undefined);
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
