/** A pull request review as the REST API lists it or a pull_request_review payload carries it. */
export interface Review {
  id: number;
  user: { login: string } | null;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING (payloads write them in lower case). */
  state: string;
  submitted_at?: string | null;
}

export type ApprovalState = "approved" | "pending" | "blocked";

export interface ApprovalCount {
  state: ApprovalState;
  /** The `state` of the `stagecoach/approval` commit status. */
  commitState: "success" | "pending" | "failure";
  approvedBy: string[];
  blockedBy: string[];
  required: number;
  /** One line for the `stagecoach/approval` commit status (GitHub keeps 140 characters). */
  description: string;
}

const COMMIT_STATE: Record<ApprovalState, ApprovalCount["commitState"]> = {
  approved: "success",
  pending: "pending",
  blocked: "failure",
};

/** States that replace a reviewer's earlier verdict; a plain comment or a pending draft does not. */
const VERDICTS = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);
const STATUS_LIMIT = 140;

/**
 * Counts the approvals of a promotion pull request: each allowed reviewer's latest verdict
 * counts once; a dismissed review counts for nothing; changes requested by an allowed reviewer
 * block; the PR author's own review never counts. `allowed` holds the logins that may approve.
 */
export function countApprovals(reviews: Review[], allowed: string[], required: number, author?: string): ApprovalCount {
  const mayApprove = new Set(allowed.map((login) => login.toLowerCase()));
  const authorLogin = author?.toLowerCase();
  const latest = new Map<string, { login: string; state: string }>();
  const ordered = [...reviews].sort(
    (a, b) => Date.parse(a.submitted_at ?? "") - Date.parse(b.submitted_at ?? "") || a.id - b.id,
  );
  for (const review of ordered) {
    const login = review.user?.login;
    const state = review.state.toUpperCase();
    if (!login || !VERDICTS.has(state)) continue;
    const key = login.toLowerCase();
    if (key === authorLogin || !mayApprove.has(key)) continue;
    latest.set(key, { login, state });
  }
  const verdicts = [...latest.values()];
  const approvedBy = verdicts.filter((v) => v.state === "APPROVED").map((v) => v.login);
  const blockedBy = verdicts.filter((v) => v.state === "CHANGES_REQUESTED").map((v) => v.login);
  const needed = Math.max(0, required);
  const state: ApprovalState = blockedBy.length > 0 ? "blocked" : approvedBy.length >= needed ? "approved" : "pending";
  return {
    state,
    commitState: COMMIT_STATE[state],
    approvedBy,
    blockedBy,
    required: needed,
    description: describe(state, approvedBy, blockedBy, needed),
  };
}

function describe(state: ApprovalState, approvedBy: string[], blockedBy: string[], required: number): string {
  const line =
    state === "blocked"
      ? `Changes requested by ${blockedBy.join(", ")}`
      : `${approvedBy.length} of ${required} approvals${approvedBy.length ? ` (${approvedBy.join(", ")})` : ""}`;
  return line.length > STATUS_LIMIT ? `${line.slice(0, STATUS_LIMIT - 1)}…` : line;
}
