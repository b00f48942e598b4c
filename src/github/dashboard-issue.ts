import type { InstallationOctokit } from "./installations.js";

/** The label that marks the promotion dashboard issue (as Renovate marks its dependency dashboard). */
export const DASHBOARD_LABEL = "stagecoach:dashboard";
const marker = (project: string) => `<!-- stagecoach:dashboard ${project.replace(/[^A-Za-z0-9._-]/g, "-")} -->`;

export interface DashboardIssue {
  number: number;
  body: string;
}

/** The project's dashboard issue: an open issue with the label whose body carries the project's marker. */
export async function findDashboardIssue(octokit: InstallationOctokit, repo: { owner: string; repo: string }, project: string): Promise<DashboardIssue | undefined> {
  const { data } = await octokit.rest.issues.listForRepo({ ...repo, labels: DASHBOARD_LABEL, state: "open", per_page: 100 });
  const issue = data.find((i) => !i.pull_request && (i.body ?? "").includes(marker(project)));
  return issue ? { number: issue.number, body: issue.body ?? "" } : undefined;
}

/**
 * Creates the dashboard issue, or rewrites its body when what it shows changed (one call when
 * nothing did: the read). Returns the issue number.
 */
export async function upsertDashboardIssue(octokit: InstallationOctokit, repo: { owner: string; repo: string }, project: string, content: string): Promise<{ number: number; changed: boolean }> {
  const body = `${content.trimEnd()}\n\n${marker(project)}\n`;
  const existing = await findDashboardIssue(octokit, repo, project);
  if (!existing) {
    const { data } = await octokit.rest.issues.create({ ...repo, title: `Stagecoach: promotion dashboard (${project})`, body, labels: [DASHBOARD_LABEL] });
    return { number: data.number, changed: true };
  }
  if (existing.body.replaceAll("\r\n", "\n") === body) return { number: existing.number, changed: false };
  await octokit.rest.issues.update({ ...repo, issue_number: existing.number, body });
  return { number: existing.number, changed: true };
}
