/** A check a stage's verification waits for on the promoted commit. */
export interface RequiredCheck {
  name: string;
  state: "pending" | "success" | "failure";
  /** The conclusion or status state as GitHub gave it, for the summary. */
  detail?: string | undefined;
}

/** The last answer of one HTTP probe: it keeps being asked until it answers as expected or time runs out. */
export interface ProbeResult {
  url: string;
  passed: boolean;
  /** What it answered ("200", "503", "connection refused …"), for the summary. */
  detail: string;
}

export interface WorkflowOutcome {
  workflow: string;
  status: string | null;
  conclusion: string | null;
  url?: string;
}

export interface VerificationTiming {
  now: Date;
  /** The stage must run the freight until then (github.verify.soak) before it counts as verified. */
  soakUntil?: Date;
  /** Still waiting then: the verification fails, naming what it waited for. */
  timeoutAt?: Date;
}

export interface VerificationJudgement {
  outcome: "pending" | "passed" | "failed";
  /** One line per part, for the check run summary and the pull request comment. */
  lines: string[];
}

/**
 * Whether a stage's verification is over: it fails as soon as a workflow or a check fails (no
 * point waiting for the rest), passes when every part passed and the soak time is over, and waits
 * otherwise — until the timeout, which fails it. Probes are asked again until they answer as
 * expected (a service takes a moment to come up), so a failing probe only fails at the timeout.
 * No parts at all passes: the merge itself is the verification then.
 */
export function judgeVerification(workflow: WorkflowOutcome | undefined, checks: RequiredCheck[], probes: ProbeResult[] = [], timing?: VerificationTiming): VerificationJudgement {
  const lines: string[] = [];
  const waitingFor: string[] = [];
  let failed = false;
  if (workflow) {
    const done = workflow.status === "completed";
    const ok = done && ["success", "neutral", "skipped"].includes(workflow.conclusion ?? "");
    if (!done) waitingFor.push(`workflow \`${workflow.workflow}\``);
    else if (!ok) failed = true;
    const where = workflow.url ? ` (${workflow.url})` : "";
    lines.push(done ? `- workflow \`${workflow.workflow}\`: ${workflow.conclusion ?? "no conclusion"}${where}` : `- workflow \`${workflow.workflow}\`: ${workflow.status ?? "queued"}${where}`);
  }
  for (const check of checks) {
    if (check.state === "pending") waitingFor.push(`check \`${check.name}\``);
    if (check.state === "failure") failed = true;
    lines.push(`- check \`${check.name}\`: ${check.state === "pending" ? "not finished yet" : (check.detail ?? check.state)}`);
  }
  for (const probe of probes) {
    if (!probe.passed) waitingFor.push(`probe ${probe.url}`);
    lines.push(`- probe ${probe.url}: ${probe.detail}${probe.passed ? "" : " (asking again)"}`);
  }
  const soaking = timing?.soakUntil && timing.now < timing.soakUntil;
  if (timing?.soakUntil) {
    lines.push(soaking ? `- soak: running until ${timing.soakUntil.toISOString()} (${minutesLeft(timing.now, timing.soakUntil)} left)` : `- soak: done at ${timing.soakUntil.toISOString()}`);
    if (soaking) waitingFor.push("the soak time");
  }
  if (lines.length === 0) lines.push("- nothing to verify is configured (`github.verify`): the merge is enough");
  if (failed) return { outcome: "failed", lines };
  if (waitingFor.length === 0) return { outcome: "passed", lines };
  if (timing?.timeoutAt && timing.now >= timing.timeoutAt) {
    return { outcome: "failed", lines: [...lines, `- timed out at ${timing.timeoutAt.toISOString()} still waiting for ${waitingFor.join(", ")} (\`github.verify.timeout\`)`] };
  }
  return { outcome: "pending", lines };
}

function minutesLeft(now: Date, until: Date): string {
  const seconds = Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
