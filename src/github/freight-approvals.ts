import { approvedCheckName } from "./freight-status.js";
import type { InstallationOctokit } from "./installations.js";

/**
 * Kargo's manual approval: a finished check run `stagecoach/approved <stage>` on the freight's
 * record, naming who approved it. It makes the freight available to the stage without upstream
 * verification or soak time, and, being a check run of the App's, only the App can take it back.
 */
export async function recordManualApproval(octokit: InstallationOctokit, repo: { owner: string; repo: string }, freightCommit: string, stage: string, actor: string, label: string): Promise<void> {
  await octokit.rest.checks.create({
    ...repo,
    head_sha: freightCommit,
    name: approvedCheckName(stage),
    status: "completed",
    conclusion: "success",
    output: { title: `${label} approved for ${stage} by @${actor}`, summary: `@${actor} approved **${label}** for **${stage}** with \`/approve\`. It may be promoted there without verification upstream or soak time.` },
  });
}
