import type { InstallationOctokit } from "./installations.js";
import type { RepoPermission } from "../commands/index.js";

export interface IssueRef {
  owner: string;
  repo: string;
  issueNumber: number;
}

export async function reactToComment(octokit: InstallationOctokit, at: { owner: string; repo: string }, commentId: number, content: "eyes" | "+1" | "-1" | "rocket" | "confused"): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner: at.owner, repo: at.repo, comment_id: commentId, content });
}

export async function postComment(octokit: InstallationOctokit, at: IssueRef, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ owner: at.owner, repo: at.repo, issue_number: at.issueNumber, body });
}

/** A person's role on the repository (maintain and triage kept distinct, from `role_name`). */
export async function readPermission(octokit: InstallationOctokit, owner: string, repo: string, login: string): Promise<RepoPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
    const role = (data.role_name ?? data.permission) as RepoPermission;
    return ["admin", "maintain", "write", "triage", "read", "none"].includes(role) ? role : (data.permission as RepoPermission);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return "none";
    throw error;
  }
}

/** The `org/team` slugs among `candidates` that `login` belongs to (only the teams a stage names are asked about). */
export async function teamsOf(octokit: InstallationOctokit, login: string, candidates: string[]): Promise<string[]> {
  const member: string[] = [];
  for (const team of candidates) {
    const [org, slug] = team.replace(/^@/, "").split("/");
    if (!org || !slug) continue;
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username: login });
      if (data.state === "active") member.push(`${org}/${slug}`);
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }
  return member;
}
