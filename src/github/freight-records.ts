import { randomUUID } from "node:crypto";
import { computeFreightId } from "../freight/compute-freight-id.js";
import { pickFreightAlias } from "../freight/pick-freight-alias.js";
import type { FreightArtifacts, FreightOrigin, FreightRecord } from "../freight/types.js";
import { formatFreightCommitMessage, parseFreightCommitMessage } from "../records/freight-commit-message.js";
import { createCommit, createRef, createTree, getRefCommit, updateRef, type GitHubClient, type RepoRef } from "./git-data.js";

/**
 * Freight lives in the GitOps repository itself (DESIGN decision 2): one commit per freight on
 * `refs/stagecoach/freight/<project>`, each the child of the previous one, so listing is one ref
 * read plus one page of commits per 100 freight, and each freight has a commit for its check runs
 * ("verified in dev"). Flushing Redis loses nothing. What a freight commit's message holds, and
 * which commits are passed over: records/freight-commit-message.ts.
 */
export function freightRef(project: string): string {
  return `stagecoach/freight/${project.replace(/[^A-Za-z0-9._-]/g, "-")}`;
}

export interface ListFreightOptions {
  /** Newest freight to read; older ones are not listed (Kargo keeps at most a few hundred too). */
  limit?: number;
  /** The freight ref's tip, when the caller has just read it. */
  tip?: string;
}

/**
 * The project's freight, newest first, read back from the freight ref. A commit whose message is
 * no freight record the App can trust is passed over; so is a second record of the same freight
 * (the App never writes one): the first, whose commit carries the freight's check runs, counts.
 */
export async function listFreight(client: GitHubClient, repo: RepoRef, project: string, options: ListFreightOptions = {}): Promise<FreightRecord[]> {
  const tip = options.tip ?? (await getRefCommit(client, repo, freightRef(project)));
  if (!tip) return [];
  const limit = options.limit ?? 1000;
  const records: FreightRecord[] = [];
  for (let page = 1; records.length < limit; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/commits", { ...repo, sha: tip, per_page: 100, page });
    for (const commit of data) {
      const read = parseFreightCommitMessage(commit.commit.message, commit.sha);
      if (read.ok) records.push(read.value);
    }
    if (data.length < 100) break;
  }
  // Newest first, so the last index of a name is its first record.
  const original = new Map(records.map((record, index) => [record.name, index]));
  return records.filter((record, index) => original.get(record.name) === index).slice(0, limit);
}

export interface RecordFreightInput extends FreightArtifacts {
  origin: FreightOrigin;
  createdAt: string;
}

export interface RecordFreightResult {
  freight: FreightRecord;
  /** False when the same artifacts were recorded before: the same freight discovered twice is one freight. */
  created: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * Records freight unless it exists already. Appending is optimistic: when another replica moved
 * the ref first, the list is read again (it may now hold this very freight) and the append retried.
 */
export async function recordFreight(client: GitHubClient, repo: RepoRef, project: string, input: RecordFreightInput): Promise<RecordFreightResult> {
  const name = computeFreightId(input.origin, input);
  const ref = freightRef(project);
  for (let attempt = 1; ; attempt++) {
    const tip = await getRefCommit(client, repo, ref);
    const existing = tip ? await listFreight(client, repo, project, { tip }) : [];
    const known = existing.find((f) => f.name === name);
    if (known) return { freight: known, created: false };

    const freight: FreightRecord = {
      name,
      alias: pickFreightAlias(name, new Set(existing.map((f) => f.alias))),
      origin: input.origin,
      createdAt: input.createdAt,
      ...(input.images?.length ? { images: input.images } : {}),
      ...(input.commits?.length ? { commits: input.commits } : {}),
      ...(input.charts?.length ? { charts: input.charts } : {}),
    };
    const message = formatFreightCommitMessage(freight);
    // Two replicas recording the same freight in the same second would otherwise build the very same
    // commit, and both would see their ref update succeed: a per-attempt nonce in the tree makes the
    // later one a non-fast-forward, so it re-reads the list and finds the freight already there.
    const content = `${JSON.stringify({ ...freight, recordedBy: randomUUID() }, null, 2)}\n`;
    const tree = await createTree(client, repo, undefined, [{ path: "freight.json", mode: "100644", content }]);
    const commit = await createCommit(client, repo, { message, tree, parents: tip ? [tip] : [] });
    const moved = tip ? await moveRef(client, repo, ref, commit.sha) : await createRef(client, repo, ref, commit.sha);
    if (moved) return { freight: { ...freight, commit: commit.sha }, created: true };
    if (attempt >= MAX_ATTEMPTS) throw new Error(`recording freight ${freight.alias} in ${repo.owner}/${repo.repo}: refs/${ref} kept moving under ${MAX_ATTEMPTS} attempts; it will be retried`);
  }
}

async function moveRef(client: GitHubClient, repo: RepoRef, ref: string, sha: string): Promise<boolean> {
  try {
    return (await updateRef(client, repo, ref, sha)) === "updated";
  } catch (error) {
    if ((error as { status?: number }).status === 409) return false;
    throw error;
  }
}

/** One freight by ID, ID prefix or alias; undefined when none (or more than one) matches. */
export function findFreight(freight: FreightRecord[], key: string): FreightRecord | undefined {
  const byAlias = freight.find((f) => f.alias === key);
  if (byAlias) return byAlias;
  const byPrefix = key.length >= 7 ? freight.filter((f) => f.name.startsWith(key.toLowerCase())) : [];
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}
