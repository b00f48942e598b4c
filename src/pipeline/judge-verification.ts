/** A check a stage's verification waits for on the promoted commit. */
export interface RequiredCheck {
  name: string;
  state: "pending" | "success" | "failure";
  /** The conclusion or status state as GitHub gave it, for the summary. */
  detail?: string | undefined;
}

export interface WorkflowOutcome {
  workflow: string;
  status: string | null;
  conclusion: string | null;
  url?: string;
}

export interface VerificationJudgement {
  outcome: "pending" | "passed" | "failed";
  /** One line per part, for the check run summary and the pull request comment. */
  lines: string[];
}

/**
 * Whether a stage's verification is over: it fails as soon as any part fails (no point waiting for
 * the rest), passes when every part passed, and waits otherwise. No parts at all passes: the
 * merge itself is the verification then.
 */
export function judgeVerification(workflow: WorkflowOutcome | undefined, checks: RequiredCheck[]): VerificationJudgement {
  const lines: string[] = [];
  let failed = false;
  let pending = false;
  if (workflow) {
    const done = workflow.status === "completed";
    const ok = done && ["success", "neutral", "skipped"].includes(workflow.conclusion ?? "");
    if (!done) pending = true;
    else if (!ok) failed = true;
    const where = workflow.url ? ` (${workflow.url})` : "";
    lines.push(done ? `- workflow \`${workflow.workflow}\`: ${workflow.conclusion ?? "no conclusion"}${where}` : `- workflow \`${workflow.workflow}\`: ${workflow.status ?? "queued"}${where}`);
  }
  for (const check of checks) {
    if (check.state === "pending") pending = true;
    if (check.state === "failure") failed = true;
    lines.push(`- check \`${check.name}\`: ${check.state === "pending" ? "not finished yet" : (check.detail ?? check.state)}`);
  }
  if (lines.length === 0) lines.push("- nothing to verify is configured (`github.verify`): the merge is enough");
  return { outcome: failed ? "failed" : pending ? "pending" : "passed", lines };
}
