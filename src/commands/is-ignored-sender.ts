/** The fields of an issue_comment or pull_request_review payload that say who wrote it. */
export interface SenderFields {
  sender: { login: string; type: string };
  comment?: { performed_via_github_app?: { slug: string } | null };
}

/**
 * Bots, the App itself included, never run commands: the App's own answers quote commands, and
 * two bots answering each other would loop.
 */
export function isIgnoredSender(payload: SenderFields, appSlug: string): boolean {
  const slug = appSlug.toLowerCase();
  return (
    payload.sender.type === "Bot" ||
    payload.sender.login.toLowerCase() === `${slug}[bot]` ||
    payload.comment?.performed_via_github_app?.slug.toLowerCase() === slug
  );
}
