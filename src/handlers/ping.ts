import type { Context } from "probot";

/** GitHub sends `ping` when a webhook is created: answering 2xx is the whole job; log it for operators. */
export function onPing() {
  return async (context: Context<"ping">): Promise<void> => {
    context.log.info({ hookId: context.payload.hook_id }, `ping received: "${context.payload.zen}"`);
  };
}
