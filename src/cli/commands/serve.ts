import type { CliCommand } from "../command.js";

export const serveCommand: CliCommand = {
  summary: "run the GitHub App server (same as `npm start`)",
  usage: [
    "Usage: stagecoach serve",
    "",
    "Starts the webhook server. Configuration comes from environment variables:",
    "APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, REDIS_URL (optional), PORT (default 3000).",
  ].join("\n"),
  async run() {
    const { startFromEnvironment } = await import("../../server.js");
    await startFromEnvironment(process.env);
    return await new Promise<number>(() => {
      // The server runs until a signal stops the process.
    });
  },
};
